import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { answerTopic, checkQuery } from '../../../ask.js';
import { answerFollowUp } from '../../answers/follow-up.js';
import { postTopicAnswer } from '../../answers/topic-answer.js';
import { noMatchText, topicTitle } from '../../answers/wording.js';
import type { AppDeps } from '../../deps.js';
import { withoutBotMention } from '../../mentions.js';
import { escapeText } from '../../mrkdwn.js';

/**
 * "@Paperboy ...": in the thread of one of its answers, a follow-up; anywhere else, a topic to
 * answer in a thread under the mention.
 */
export function appMention(deps: AppDeps) {
  return async ({ event, client, context }: SlackEventMiddlewareArgs<'app_mention'> & AllMiddlewareArgs): Promise<void> => {
    if (event.bot_id || !event.user) return;
    const user = event.user;
    const teamId = context.teamId ?? event.team ?? '';
    const text = withoutBotMention(event.text, context.botUserId);
    const threadTs = event.thread_ts ?? event.ts;
    if (event.thread_ts) {
      const key = { teamId, channelId: event.channel, threadTs: event.thread_ts };
      if (await answerFollowUp({ client, key, messageTs: event.ts, userId: user, question: text }, deps)) return;
    }
    const tell = (message: string) => client.chat.postEphemeral({ channel: event.channel, user, thread_ts: threadTs, text: message });
    const checked = checkQuery(text);
    if ('problem' in checked) {
      await tell(escapeText(checked.message));
      return;
    }
    await deps.store.recordSearch(teamId, user, checked.query);
    const answer = await answerTopic(checked.query, deps);
    if (!answer) {
      await tell(noMatchText(checked.query, deps.index.suggest(checked.query)));
      return;
    }
    await postTopicAnswer(answer, topicTitle(checked.query), { client, teamId, channel: event.channel, threadTs }, deps);
  };
}
