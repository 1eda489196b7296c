import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { answerTopic, checkQuery } from '../../../ask.js';
import { afterPendingAcks } from '../../after-acks.js';
import { postTopicAnswer } from '../../answers/topic-answer.js';
import { noMatchText, topicTitle } from '../../answers/wording.js';
import { renderUsage } from '../../blocks/usage.js';
import { parsePapersCommand } from '../../command.js';
import type { AppDeps } from '../../deps.js';
import { escapeText } from '../../mrkdwn.js';
import { subscriptionCommand } from './subscriptions.js';

/** `/papers ...`: acknowledged at once (Slack allows 3 s); the answer is posted after. */
export function papersCommand(deps: AppDeps) {
  return async ({ command, ack, respond, client, context }: SlackCommandMiddlewareArgs & AllMiddlewareArgs): Promise<void> => {
    await ack();
    await afterPendingAcks();
    const say = (text: string) => respond({ response_type: 'ephemeral', text });
    const parsed = parsePapersCommand(command.text);
    if (parsed.kind === 'help') {
      await respond({ response_type: 'ephemeral', ...renderUsage() });
      return;
    }
    const teamId = context.teamId ?? command.team_id;
    if (parsed.kind === 'digest') {
      await subscriptionCommand(parsed.subcommand, parsed.args, { client, teamId, channelId: command.channel_id, userId: command.user_id, respond }, deps);
      return;
    }
    const checked = checkQuery(parsed.text);
    if ('problem' in checked) {
      await say(escapeText(checked.message));
      return;
    }
    await deps.store.recordSearch(teamId, command.user_id, checked.query);
    const answer = await answerTopic(checked.query, deps);
    if (!answer) {
      await say(noMatchText(checked.query, deps.index.suggest(checked.query)));
      return;
    }
    await postTopicAnswer(answer, topicTitle(checked.query), { client, teamId, channel: command.channel_id, respond }, deps);
  };
}
