/**
 * Slack's message markup, taken out of a query before it is analysed: what a person pasted
 * or typed around their words is not what they are looking for. Mentions (<@U…>), special
 * mentions (<!channel>, <!subteam^S…|@team>) and channel links (<#C…|name>) are dropped;
 * a link keeps its label (<https://x|the LoRA paper>) and loses its address; *bold*,
 * _italic_, ~strike~ and `code` keep their words; &amp; &lt; &gt; are decoded last, so a
 * decoded "<" is never read as markup. See https://api.slack.com/reference/surfaces/formatting.
 */
export function stripSlackMarkup(text: string): string {
  return text
    .replace(/<[@!#][^<>]*>/g, ' ')
    .replace(/<[^<>|]*\|([^<>]*)>/g, ' $1 ')
    .replace(/<[^<>]*>/g, ' ')
    .replace(/```|[`*~]/g, ' ')
    .replace(/(^|[^\p{L}\p{N}_])_+|_+(?=[^\p{L}\p{N}_]|$)/gu, '$1 ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}
