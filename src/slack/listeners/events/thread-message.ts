import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { answerFollowUp } from '../../answers/follow-up.js';
import type { AppDeps } from '../../deps.js';
import { withoutBotMention } from '../../mentions.js';

/**
 * A person's reply in a thread: answered when the thread is one of the bot's answers. Edits,
 * deletions, bot messages (this bot's own included) and top-level messages are ignored.
 */
export function threadMessage(deps: AppDeps) {
  return async ({ event, client, context }: SlackEventMiddlewareArgs<'message'> & AllMiddlewareArgs): Promise<void> => {
    if (event.subtype !== undefined || event.bot_id || !event.user) return;
    if (!event.thread_ts || event.thread_ts === event.ts) return;
    await answerFollowUp(
      {
        client,
        key: { teamId: context.teamId ?? event.team ?? '', channelId: event.channel, threadTs: event.thread_ts },
        messageTs: event.ts,
        userId: event.user,
        question: withoutBotMention(event.text ?? '', context.botUserId),
      },
      deps,
    );
  };
}
