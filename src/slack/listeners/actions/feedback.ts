import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { AppDeps } from '../../deps.js';
import { afterPendingAcks } from '../../after-acks.js';
import { withVotes } from '../../blocks/paper.js';
import { escapeText, truncate } from '../../mrkdwn.js';
import { paperClick } from './paper-click.js';

/**
 * 👍 / 👎 on a paper. A click sets the person's vote in this channel (the other way replaces it);
 * a click on the vote they already cast takes it back. The message then shows the channel's votes
 * on its buttons, and the person alone is told what happened.
 */
export function feedback(deps: AppDeps, value: 1 | -1) {
  return async ({
    ack,
    body,
    action,
    respond,
    client,
  }: SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs): Promise<void> => {
    await ack();
    await afterPendingAcks();
    const click = paperClick(body, action);
    if (!click) return;
    const key = { teamId: click.teamId, channelId: click.channelId, userId: click.userId, paperId: click.paperId };
    const undo = (await deps.store.voteTally(key)).mine === value;
    if (undo) await deps.store.removeFeedback(key);
    else await deps.store.recordFeedback({ ...key, value });
    const tally = await deps.store.voteTally(key);

    const message = body.message as { ts?: string; text?: string; blocks?: unknown[] } | undefined;
    const blocks = message?.blocks && withVotes(message.blocks, click.paperId, tally);
    if (blocks && message?.ts) {
      const text = message.text ?? '';
      if (body.container?.is_ephemeral) await respond({ replace_original: true, text, blocks });
      else
        await client.chat
          .update({ channel: click.channelId, ts: message.ts, text, blocks })
          .catch((error: Error) => deps.logger.warn('vote not shown on the message', { error: error.message }));
    }

    const title = `“${escapeText(truncate(deps.index.get(click.paperId)?.title ?? click.paperId, 200))}”`;
    const thumb = value === 1 ? '👍' : '👎';
    const text = undo
      ? `I took back your ${thumb} on ${title}.`
      : value === 1
        ? `Thanks! I noted that you liked ${title}. It is on your Paperboy Home tab and this channel's reading list (\`/papers library\`).`
        : `Thanks, I noted that this did not help: ${title}. It will not appear in this channel's digest.`;
    await respond({ response_type: 'ephemeral', replace_original: false, text });
  };
}
