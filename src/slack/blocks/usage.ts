import type { RenderedMessage } from './topic-answer.js';
import { section } from './elements.js';

/** Already-escaped mrkdwn (&lt; is how Slack shows a literal "<"). */
export const USAGE_TEXT = [
  '*Paperboy* finds research papers on a topic and sums them up, with citations.',
  '• `/papers &lt;topic&gt;`: e.g. `/papers knowledge distillation`. I post the answer here so the channel can follow up in its thread.',
  '• Reply in the thread of one of my answers (or @mention me there) to ask about those papers.',
  '• Buttons under each paper: *Summarize* for a closer look, *More like this*, and 👍 / 👎 to tell me what helps.',
  '• `/papers subscribe [HH:MM] [time zone] [daily|weekdays] [topic words]`: the day’s trending papers in this channel every morning; `/papers unsubscribe` to stop, `/papers subscriptions` to list them.',
  '• `/papers recommend`: the best papers of the last 14 days this channel has not seen, as it taught me with 👍 / 👎 (in a DM with me: for you). `/papers library`: the papers 👍’d here.',
  '• `/papers help`: this message.',
].join('\n');

export function renderUsage(): RenderedMessage {
  return { text: USAGE_TEXT, blocks: [section(USAGE_TEXT)] };
}
