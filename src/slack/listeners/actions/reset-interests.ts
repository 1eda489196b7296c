import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { AppDeps } from '../../deps.js';
import { publishHome } from '../events/app-home-opened.js';

/**
 * "Forget this" on the Home tab: the person's model (their DM with the bot) starts over; votes stay
 * for the reading list and the 👎 exclusion. Only a DM's model can be reset from Home.
 */
export function resetInterests(deps: AppDeps) {
  return async ({ ack, body, action, client }: SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs): Promise<void> => {
    await ack();
    const channelId = action.value ?? '';
    const teamId = body.team?.id ?? body.user.team_id ?? '';
    if (!channelId.startsWith('D')) return;
    await deps.store.resetLearning(teamId, channelId);
    await publishHome(client, teamId, body.user.id, channelId, deps);
  };
}
