import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { AppDeps } from '../../deps.js';
import { afterPendingAcks } from '../../after-acks.js';
import { escapeText, truncate } from '../../mrkdwn.js';
import { paperClick } from './paper-click.js';

/** 👍 / 👎 on a paper: stored (a new vote replaces the old) and acknowledged to the voter alone. */
export function feedback(deps: AppDeps, value: 1 | -1) {
  return async ({ ack, body, action, respond }: SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs): Promise<void> => {
    await ack();
    await afterPendingAcks();
    const click = paperClick(body, action);
    if (!click) return;
    await deps.store.recordFeedback({ teamId: click.teamId, channelId: click.channelId, userId: click.userId, paperId: click.paperId, value });
    const title = deps.index.get(click.paperId)?.title ?? click.paperId;
    const thanks = value === 1 ? 'Thanks! I noted that you liked' : 'Thanks, I noted that this did not help:';
    const home = value === 1 ? ' It is on your Paperboy Home tab.' : '';
    await respond({ response_type: 'ephemeral', replace_original: false, text: `${thanks} “${escapeText(truncate(title, 200))}”.${home}` });
  };
}
