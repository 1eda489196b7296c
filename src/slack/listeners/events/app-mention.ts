import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { answerFollowUp } from '../../posting/follow-up.js';
import type { AppDeps } from '../../deps.js';
import { withoutBotMention } from '../../mentions.js';
import { askTopic } from '../commands/papers.js';

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
    await askTopic(text, { teamId, userId: user }, tell, { client, teamId, channel: event.channel, threadTs }, deps);
  };
}
