import type { webApi } from '@slack/bolt';
import { checkQuery } from '../../answer/topic-answer.js';
import type { Paper } from '../../papers/paper.js';
import type { ThreadKey } from '../../store/store.js';
import type { AppDeps } from '../deps.js';
import { escapeText } from '../mrkdwn.js';
import { postThreadReply } from './thread-reply.js';

export interface FollowUp {
  client: webApi.WebClient;
  key: ThreadKey;
  /** The ts of the message asking: one message gets one answer, whichever event brings it. */
  messageTs: string;
  userId: string;
  question: string;
}

/**
 * Answers a question asked in the thread of one of the bot's answers, grounded in that thread's
 * papers and earlier turns. Resolves false when the thread is not one the bot knows.
 */
export async function answerFollowUp(followUp: FollowUp, deps: AppDeps): Promise<boolean> {
  const { key, client } = followUp;
  const thread = await deps.store.getThread(key);
  if (!thread) return false;
  // A mention in a thread arrives twice (app_mention and message): answer the message once.
  if (!(await deps.store.claimEvent(`message:${key.channelId}:${followUp.messageTs}`))) return true;
  const checked = checkQuery(followUp.question);
  if ('problem' in checked) {
    if (checked.problem !== 'empty') {
      await client.chat.postEphemeral({
        channel: key.channelId,
        user: followUp.userId,
        thread_ts: key.threadTs,
        text: escapeText(checked.message),
      });
    }
    return true;
  }
  const question = checked.query;
  const papers = thread.paperIds.map((id) => deps.index.get(id)).filter((paper): paper is Paper => paper !== undefined);
  const history = await deps.store.getTurns(key);
  await deps.store.appendTurn(key, { role: 'user', text: question });
  const answer = await postThreadReply(
    {
      client,
      channel: key.channelId,
      threadTs: key.threadTs,
      stream: (signal) => deps.answerer.followUp(question, papers, history, signal),
      sources: papers,
      pendingLabel: 'Thinking…',
    },
    deps,
  );
  await deps.store.appendTurn(key, { role: 'assistant', text: answer });
  return true;
}
