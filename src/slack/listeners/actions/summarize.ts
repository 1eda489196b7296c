import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { pointToReply } from '../../posting/reply-pointer.js';
import { postThreadReply } from '../../posting/thread-reply.js';
import type { AppDeps } from '../../deps.js';
import { clickedPaper } from './paper-click.js';

/** "Summarize": a closer look at one paper, posted in the message's thread. */
export function summarize(deps: AppDeps) {
  return async (args: SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs): Promise<void> => {
    const clicked = await clickedPaper(args, deps, 'summarize');
    if (!clicked) return;
    const { click, paper } = clicked;
    const { client, respond } = args;
    const key = { teamId: click.teamId, channelId: click.channelId, threadTs: click.threadTs };
    const answer = await postThreadReply(
      {
        client,
        channel: click.channelId,
        threadTs: click.threadTs,
        stream: (signal) => deps.answerer.deepDive(paper, signal),
        sources: [paper],
        heading: `A closer look at “${paper.title}”`,
        pendingLabel: 'Reading the paper…',
        onPosted: (ts) =>
          pointToReply({ client, respond, channel: click.channelId, ts, what: `A closer look at “${paper.title}”` }, deps.logger),
      },
      deps,
    );
    if (await deps.store.getThread(key)) {
      await deps.store.appendTurn(key, { role: 'user', text: `Summarize "${paper.title}".` });
      await deps.store.appendTurn(key, { role: 'assistant', text: answer });
    }
  };
}
