import type { webApi } from '@slack/bolt';
import type { Logger } from '../lib/logger.js';
import type { Subscription } from '../digest/subscription.js';
import { slackErrorCode } from './posting/slack-errors.js';

/** What one person may see of a workspace's digests. */
export interface VisibleSubscriptions {
  /** The digests of conversations this person is a member of: shown with name, time and topics. */
  shown: Subscription[];
  /** How many others there are: their conversations and topics are their members' business. */
  hidden: number;
}

const MEMBERS_PAGE = 1000;

/**
 * Splits a workspace's digests into those of conversations `userId` is a member of and the rest.
 * A private channel's or a DM's topics ("due diligence for the acquisition of ...") are no one
 * else's business, and neither, for simplicity and for guests, is a public channel's the person is
 * not in. When Slack cannot say whether the person is a member, the digest is counted, not shown.
 */
export async function visibleSubscriptions(
  client: webApi.WebClient,
  userId: string,
  subscriptions: readonly Subscription[],
  logger: Logger,
): Promise<VisibleSubscriptions> {
  const member = await Promise.all(subscriptions.map((subscription) => isMember(client, subscription.channelId, userId, logger)));
  const shown = subscriptions.filter((_, i) => member[i]);
  return { shown, hidden: subscriptions.length - shown.length };
}

async function isMember(client: webApi.WebClient, channel: string, userId: string, logger: Logger): Promise<boolean> {
  try {
    let cursor: string | undefined;
    do {
      const page = await client.conversations.members({ channel, limit: MEMBERS_PAGE, ...(cursor ? { cursor } : {}) });
      if (page.members?.includes(userId)) return true;
      cursor = page.response_metadata?.next_cursor || undefined;
    } while (cursor);
    return false;
  } catch (error) {
    logger.warn('could not check conversation membership; digest not shown', { channel, error: slackErrorCode(error) ?? String(error) });
    return false;
  }
}
