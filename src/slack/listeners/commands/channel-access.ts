import type { webApi } from '@slack/bolt';
import type { Logger } from '../../../lib/logger.js';
import { isNotInChannel, slackErrorCode } from '../../posting/slack-errors.js';

/** Whether the bot can run a digest in a channel, and if not, why. */
export type ChannelAccess = 'ok' | 'not-member' | 'archived';

/**
 * A digest needs the bot in the channel: chat:write.public would let it post in a public channel it
 * is not in, but it would not hear the replies in the digest's thread. A DM with the bot is fine.
 * When Slack cannot say (an outage, a missing scope), the subscription is not refused for it.
 */
export async function channelAccess(client: webApi.WebClient, channel: string, logger: Logger): Promise<ChannelAccess> {
  try {
    const info = await client.conversations.info({ channel });
    if (info.channel?.is_archived) return 'archived';
    return info.channel?.is_im || info.channel?.is_member ? 'ok' : 'not-member';
  } catch (error) {
    if (isNotInChannel(error)) return 'not-member';
    logger.warn('could not check channel membership', { channel, code: slackErrorCode(error), error });
    return 'ok';
  }
}
