import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { DEFAULT_PAPER_COUNT, withAnswers } from '../../../answer/topic-answer.js';
import { pointToReply } from '../../posting/reply-pointer.js';
import { postTopicAnswer } from '../../posting/topic-answer.js';
import { truncate } from '../../mrkdwn.js';
import type { AppDeps } from '../../deps.js';
import { clickedPaper } from './paper-click.js';

/** "More like this": papers close to one paper, answered in the message's thread. */
export function moreLikeThis(deps: AppDeps) {
  return async (args: SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs): Promise<void> => {
    const clicked = await clickedPaper(args, deps, 'more-like');
    if (!clicked) return;
    const { click, paper } = clicked;
    const { client, respond } = args;
    const tell = (text: string) => respond({ response_type: 'ephemeral', replace_original: false, text });
    const hits = deps.index.moreLike(paper.id, { limit: DEFAULT_PAPER_COUNT });
    if (hits.length === 0) {
      await tell('I know no other papers close to that one yet.');
      return;
    }
    const answer = withAnswers(`papers like "${paper.title}"`, hits, deps.answerer);
    const what = `Papers like “${truncate(paper.title, 100)}”`;
    const target = {
      client,
      teamId: click.teamId,
      channel: click.channelId,
      threadTs: click.threadTs,
      onPosted: (ts: string) => pointToReply({ client, respond, channel: click.channelId, ts, what }, deps.logger),
    };
    await postTopicAnswer(answer, `More like “${truncate(paper.title, 100)}”`, target, deps);
  };
}
