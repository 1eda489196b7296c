import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs, webApi } from '@slack/bolt';
import type { Respond } from '../../respond.js';
import { answerTopic, checkQuery } from '../../../answer/topic-answer.js';
import { afterPendingAcks } from '../../after-acks.js';
import { postTopicAnswer, type AnswerTarget } from '../../posting/topic-answer.js';
import { noMatchText, topicTitle } from '../../posting/wording.js';
import { renderUsage } from '../../blocks/usage.js';
import { parsePapersCommand } from '../../command.js';
import type { AppDeps } from '../../deps.js';
import { escapeText } from '../../mrkdwn.js';
import { libraryCommand, recommendCommand } from './recommend.js';
import { subscriptionCommand } from './subscriptions.js';

/** `/papers ...`: acknowledged at once (Slack allows 3 s); the answer is posted after. */
export function papersCommand(deps: AppDeps) {
  return async ({ command, ack, respond, client, context }: SlackCommandMiddlewareArgs & AllMiddlewareArgs): Promise<void> => {
    await ack();
    await afterPendingAcks();
    const teamId = context.teamId ?? command.team_id;
    await runPapers(command.text, { client, teamId, channelId: command.channel_id, userId: command.user_id, respond }, deps);
  };
}

/** Who asked, where, and how to answer that person alone. */
export interface PapersRequest {
  client: webApi.WebClient;
  teamId: string;
  channelId: string;
  userId: string;
  respond: Respond;
  /** Answer inside this thread (a direct message is answered in its own thread). */
  threadTs?: string;
}

/** What `/papers <text>` does, wherever the text came from: help, a digest subcommand, or a topic. */
export async function runPapers(text: string, request: PapersRequest, deps: AppDeps): Promise<void> {
  const { client, teamId, channelId, userId, respond } = request;
  const say = (message: string) => respond({ response_type: 'ephemeral', text: message });
  const parsed = parsePapersCommand(text);
  if (parsed.kind === 'help') {
    await respond({ response_type: 'ephemeral', ...renderUsage() });
    return;
  }
  if (parsed.kind === 'digest') {
    await subscriptionCommand(parsed.subcommand, parsed.args, { client, teamId, channelId, userId, respond }, deps);
    return;
  }
  if (parsed.kind === 'recommend' || parsed.kind === 'library') {
    const where = { client, teamId, channelId, respond };
    await (parsed.kind === 'recommend' ? recommendCommand(where, deps) : libraryCommand(where, deps));
    return;
  }
  await askTopic(
    parsed.text,
    { teamId, userId },
    say,
    { client, teamId, channel: channelId, respond, ...(request.threadTs ? { threadTs: request.threadTs } : {}) },
    deps,
  );
}

/**
 * A topic asked by a person, wherever: checked, recorded, searched, and answered at `target`; a
 * problem with the query or no match is said to the person alone through `say`.
 */
export async function askTopic(
  text: string,
  asker: { teamId: string; userId: string },
  say: (message: string) => Promise<unknown>,
  target: AnswerTarget,
  deps: AppDeps,
): Promise<void> {
  const checked = checkQuery(text);
  if ('problem' in checked) {
    await say(escapeText(checked.message));
    return;
  }
  // Search needs no write: a database that cannot write (full, down) costs the Home tab's history, not the answer.
  deps.store
    .recordSearch(asker.teamId, asker.userId, checked.query)
    .catch((error: unknown) => deps.logger.warn('search not recorded (database)', { error }));
  // What a channel searches for is a (weak) sign of its taste, for its digest and /papers recommend.
  deps.store
    .recordClue(asker.teamId, target.channel, asker.userId, { kind: 'search', query: checked.query })
    .catch((error: unknown) => deps.logger.warn('clue not recorded (database)', { kind: 'search', error }));
  const answer = await answerTopic(checked.query, deps);
  if (!answer) {
    await say(noMatchText(checked.query, deps.index.suggest(checked.query)));
    return;
  }
  await postTopicAnswer(answer, topicTitle(checked.query), target, deps);
}
