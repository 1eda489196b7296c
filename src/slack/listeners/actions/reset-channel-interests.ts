import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { AppDeps } from '../../deps.js';
import { visibleSubscriptions } from '../../subscription-visibility.js';
import { publishHome } from '../events/app-home-opened.js';

/**
 * "Reset" beside a channel's learned interests on Home (after Slack's confirmation dialog): the channel's
 * model starts over from the next digest; its votes stay for the reading list and the 👎 exclusion.
 * Who reset it and when is recorded. Only a member of a channel with a digest may reset it: the button's
 * value is checked again here, as Home's own privacy rule (src/slack/subscription-visibility.ts) decides.
 */
export function resetChannelInterests(deps: AppDeps) {
  return async ({ ack, body, action, client }: SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs): Promise<void> => {
    await ack();
    const [channelId = '', dmChannel] = (action.value ?? '').split(' ');
    const teamId = body.team?.id ?? body.user.team_id ?? '';
    const subscription = channelId.startsWith('D') ? undefined : await deps.store.getSubscription(teamId, channelId);
    if (!subscription) return;
    const { shown } = await visibleSubscriptions(client, body.user.id, [subscription], deps.logger);
    if (!shown.length) {
      deps.logger.warn('channel interests reset refused: not a member', { channel: channelId, user: body.user.id });
      return;
    }
    await deps.store.resetLearning(teamId, channelId, body.user.id);
    deps.logger.info('channel interests reset', { channel: channelId, user: body.user.id });
    await publishHome(client, teamId, body.user.id, dmChannel?.startsWith('D') ? dmChannel : undefined, deps);
  };
}
