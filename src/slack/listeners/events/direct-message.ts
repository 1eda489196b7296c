import type { RespondArguments, webApi } from '@slack/bolt';
import type { Respond } from '../../respond.js';
import { answerFollowUp } from '../../posting/follow-up.js';
import type { AppDeps } from '../../deps.js';
import { runPapers } from '../commands/papers.js';
import type { PersonMessage } from './person-message.js';

/**
 * A direct message to the bot (the Messages tab): in the thread of one of its answers, a follow-up;
 * otherwise answered as `/papers <text>` would be, in a thread under the message, so the DM stays
 * a list of questions with their answers beneath.
 */
export async function answerDirectMessage(
  message: PersonMessage,
  where: { client: webApi.WebClient; teamId: string },
  deps: AppDeps,
): Promise<void> {
  const { client, teamId } = where;
  if (message.threadTs) {
    const key = { teamId, channelId: message.channel, threadTs: message.threadTs };
    if (await answerFollowUp({ client, key, messageTs: message.ts, userId: message.user, question: message.text }, deps)) return;
  }
  // One answer per message, however often Slack delivers it.
  if (!(await deps.store.claimEvent(`message:${message.channel}:${message.ts}`))) return;
  const threadTs = message.threadTs ?? message.ts;
  await runPapers(
    message.text,
    { client, teamId, channelId: message.channel, userId: message.user, respond: inThread(client, message.channel, threadTs), threadTs },
    deps,
  );
}

/** A Respond for a DM: only the person is there, so "ephemeral" answers are plain thread replies. */
function inThread(client: webApi.WebClient, channel: string, threadTs: string): Respond {
  return async (message: string | RespondArguments) => {
    const { text, blocks } =
      typeof message === 'string' ? { text: message, blocks: undefined } : (message as { text?: string; blocks?: webApi.KnownBlock[] });
    return client.chat.postMessage({
      channel,
      thread_ts: threadTs,
      text: text ?? '',
      ...(blocks ? { blocks } : {}),
      unfurl_links: false,
      unfurl_media: false,
    });
  };
}
