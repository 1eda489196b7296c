/**
 * Making untrusted text (queries, paper metadata, LLM output) safe for Slack's mrkdwn: once &, <
 * and > are escaped, no text can form a mention (<@U..>, <!channel>) or a link (<url|label>).
 */
export function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A link built from paper metadata: only http(s) URLs, and the label escaped. */
export function link(url: string | undefined, label: string): string {
  const safe = safeUrl(url);
  const text = escapeText(label).replace(/\|/g, '∣');
  return safe ? `<${safe}|${text}>` : text;
}

/** The URL if it is http(s), with the characters that would end Slack's <url|label> percent-encoded. */
export function safeUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return undefined;
  return parsed.href.replace(/[|<>\s]/g, (c) => encodeURIComponent(c)).replace(/&/g, '&amp;');
}

/** Cuts text to at most `max` characters, ending in an ellipsis when cut. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  // Never leave half an escape (&amp;) or half a surrogate pair at the cut.
  return cut.replace(/&[a-z]{0,4}$/, '').replace(/[\uD800-\uDBFF]$/, '') + '…';
}
