import type { RespondFn, webApi } from '@slack/bolt';
import type { Logger } from '../../lib/logger.js';
import { escapeText } from '../mrkdwn.js';

/**
 * Tells the person who clicked, at once and only them, where the answer is going: a link to the
 * reply in the thread, since Slack shows a thread reply only as "1 reply" under a long message.
 * A failure here costs only the pointer, never the answer.
 */
export async function pointToReply(
  reply: { client: webApi.WebClient; respond: RespondFn; channel: string; ts: string; what: string },
  logger: Logger,
): Promise<void> {
  let link: string | undefined;
  try {
    const found = await reply.client.chat.getPermalink({ channel: reply.channel, message_ts: reply.ts });
    link = found.permalink;
  } catch (error) {
    logger.warn('permalink failed', { channel: reply.channel, error: String(error) });
  }
  const where = link && /^https:\/\//.test(link) ? `<${link}|in the thread>` : 'in the thread of that message';
  await reply
    .respond({ response_type: 'ephemeral', replace_original: false, text: `${escapeText(reply.what)} is coming ${where}.` })
    .catch((error: unknown) => logger.warn('reply pointer failed', { channel: reply.channel, error: String(error) }));
}
