import type { webApi } from '@slack/bolt';
import type { Logger } from '../../../lib/logger.js';
import { slackErrorCode } from '../../posting/slack-errors.js';

/** The user's time zone as set in Slack (an IANA name), or UTC when Slack has none or cannot say. */
export async function userTimeZone(client: webApi.WebClient, user: string, logger: Logger): Promise<string> {
  try {
    const info = await client.users.info({ user });
    return info.user?.tz || 'UTC';
  } catch (error) {
    logger.warn('could not read the user time zone', { user, code: slackErrorCode(error), error });
    return 'UTC';
  }
}
