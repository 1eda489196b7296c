import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { answerFollowUp } from '../../posting/follow-up.js';
import type { AppDeps } from '../../deps.js';
import { withoutBotMention } from '../../mentions.js';
import { answerDirectMessage } from './direct-message.js';
import { personMessage } from './person-message.js';

/**
 * A person's message: in the thread of one of the bot's answers, a follow-up (also when sent to the
 * channel too, or with a file); in a direct message with the bot, what `/papers <text>` would do.
 * Edits, deletions, bot messages (this bot's own included) and other chatter are ignored.
 */
export function threadMessage(deps: AppDeps) {
  return async ({ event, client, context }: SlackEventMiddlewareArgs<'message'> & AllMiddlewareArgs): Promise<void> => {
    const message = personMessage(event as unknown as Record<string, unknown>, context.botUserId);
    if (!message) return;
    const teamId = context.teamId ?? message.team ?? '';
    const question = withoutBotMention(message.text, context.botUserId);
    if (message.channelType === 'im') {
      await answerDirectMessage({ ...message, text: question }, { client, teamId }, deps);
      return;
    }
    if (!message.threadTs) return;
    await answerFollowUp(
      {
        client,
        key: { teamId, channelId: message.channel, threadTs: message.threadTs },
        messageTs: message.ts,
        userId: message.user,
        question,
      },
      deps,
    );
  };
}
