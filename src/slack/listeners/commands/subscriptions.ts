import type { webApi } from '@slack/bolt';
import { DIGEST_KINDS, kindOf, parseSubscribeArgs, type DigestKind, type Subscription } from '../../../digest/subscription.js';
import type { Respond } from '../../respond.js';
import { INVITE_ME } from '../../posting/wording.js';
import type { RenderedMessage } from '../../blocks/topic-answer.js';
import { CHANGE_HINT, channelMention, describeSubscription, renderSubscriptionList } from '../../blocks/subscriptions.js';
import type { DigestSubcommand } from '../../command.js';
import type { AppDeps } from '../../deps.js';
import { escapeText } from '../../mrkdwn.js';
import { visibleSubscriptions } from '../../subscription-visibility.js';
import { channelAccess } from './channel-access.js';
import { userTimeZone } from './user-time-zone.js';

/** Who ran a digest subcommand, and where. */
export interface SubscriptionRequest {
  client: webApi.WebClient;
  teamId: string;
  channelId: string;
  userId: string;
  /** Answers that person alone. */
  respond: Respond;
}

const SUBSCRIBE_USAGE =
  'Usage: `/papers subscribe [trending|arxiv] [arXiv categories] [HH:MM] [time zone] [daily|weekdays] [topic words]`, e.g. `/papers subscribe 08:30 Europe/Paris daily distillation` or `/papers subscribe arxiv cs.CL cs.LG distillation at 9am`.';
/** Said when the arXiv digest is asked for but the bot harvests nothing from arXiv. */
const ARXIV_OFF =
  'The bot does not collect papers from arXiv yet, so an arXiv digest would be empty. Whoever runs it can turn arXiv on with `PAPERBOY_SOURCES=hf,arxiv` and `ARXIV_CATEGORIES=cs.CL,cs.LG` (see the README), then subscribe again.';

/** `/papers subscribe | unsubscribe | subscriptions`; every answer is private to the one who asked. */
export async function subscriptionCommand(
  subcommand: DigestSubcommand,
  args: string,
  request: SubscriptionRequest,
  deps: AppDeps,
): Promise<void> {
  switch (subcommand) {
    case 'subscribe':
      return subscribe(args, request, deps);
    case 'unsubscribe':
      return unsubscribe(args, request, deps);
    case 'subscriptions':
      return listSubscriptions(args, request, deps);
  }
}

async function subscribe(args: string, request: SubscriptionRequest, deps: AppDeps): Promise<void> {
  const { client, teamId, channelId, userId } = request;
  const access = await channelAccess(client, channelId, deps.logger);
  if (access !== 'ok') {
    const why =
      access === 'archived'
        ? 'This channel is archived, so I cannot post a digest here.'
        : `I am not in this channel, so I could not post the digest here. ${INVITE_ME}, then subscribe again.`;
    await reply(request, `:warning: ${why}`);
    return;
  }
  const words = args.split(/\s+/).filter(Boolean);
  const parsed = parseSubscribeArgs(words, await userTimeZone(client, userId, deps.logger));
  if ('error' in parsed) {
    await reply(request, `${escapeText(parsed.error)}\n${SUBSCRIBE_USAGE}`);
    return;
  }
  let previous: Subscription | undefined;
  try {
    if (parsed.kind === 'arxiv' && !(await deps.store.latestArxivDay('9999-12-31'))) {
      // Nothing typed is lost: the command comes back to be run again once arXiv is on.
      await reply(
        request,
        `:warning: ${ARXIV_OFF}
Your command: \`/papers subscribe ${escapeText(words.join(' ').replaceAll('`', "'"))}\``,
      );
      return;
    }
    previous = await deps.store.getSubscription(teamId, channelId, parsed.kind);
    await deps.store.saveSubscription({ teamId, channelId, ...parsed, createdBy: userId });
  } catch (error) {
    deps.logger.warn('subscription not saved (database)', { channel: channelId, error: String(error) });
    await reply(request, `:warning: I could not save this digest: the database did not answer, so nothing changed. Try again in a minute.`);
    return;
  }
  const what = parsed.kind === 'arxiv' ? 'the new-on-arXiv digest' : 'the trending papers digest';
  const lines = [`:white_check_mark: ${channelMention(channelId)} will get ${what}: *${describeSubscription(parsed)}*.`];
  if (previous) lines.push(`This replaces: ${describeSubscription(previous)}.`);
  if (parsed.topics && deps.index.search(parsed.topics, { limit: 1 }).length === 0) {
    const close = deps.index.suggest(parsed.topics, 5);
    lines.push(
      `:warning: No paper I have matches “${escapeText(parsed.topics)}”, so this digest would be empty.` +
        (close.length ? ` Close terms: ${close.map((term) => `\`${escapeText(term)}\``).join(', ')}.` : ' Try broader words.'),
    );
  }
  lines.push(CHANGE_HINT);
  await reply(request, lines.join('\n'));
}

async function unsubscribe(args: string, request: SubscriptionRequest, deps: AppDeps): Promise<void> {
  const asked = args.trim().toLowerCase();
  if (asked && !DIGEST_KINDS.includes(asked as DigestKind)) {
    await reply(
      request,
      '`/papers unsubscribe [trending|arxiv]` stops a digest of the channel you run it in; nothing after it stops its only one.',
    );
    return;
  }
  let previous: Subscription | undefined;
  let removed: boolean;
  try {
    const held = (
      await Promise.all(DIGEST_KINDS.map((kind) => deps.store.getSubscription(request.teamId, request.channelId, kind)))
    ).filter((subscription) => subscription !== undefined);
    if (!asked && held.length > 1) {
      await reply(
        request,
        'This channel gets two digests: say which to stop, `/papers unsubscribe trending` or `/papers unsubscribe arxiv`.',
      );
      return;
    }
    const kind = (asked || (held[0] ? kindOf(held[0]) : 'trending')) as DigestKind;
    previous = held.find((subscription) => kindOf(subscription) === kind);
    removed = await deps.store.removeSubscription(request.teamId, request.channelId, kind);
  } catch (error) {
    deps.logger.warn('subscription not removed (database)', { channel: request.channelId, error: String(error) });
    await reply(request, `:warning: I could not stop this digest: the database did not answer, so nothing changed. Try again in a minute.`);
    return;
  }
  const where = channelMention(request.channelId);
  await reply(
    request,
    removed
      ? `Done: ${where} will get no more digests of this kind${previous ? ` (it was: ${describeSubscription(previous)})` : ''}. Subscribe again any time with \`/papers subscribe\`.`
      : `${where} has no ${asked ? `${asked} ` : ''}digest to stop. To start one, run \`/papers subscribe\`.`,
  );
}

async function listSubscriptions(args: string, request: SubscriptionRequest, deps: AppDeps): Promise<void> {
  if (args.trim()) {
    await reply(request, '`/papers subscriptions` lists the digests of the conversations you are in; it takes nothing after it.');
    return;
  }
  let all: Subscription[];
  try {
    all = await deps.store.listSubscriptions(request.teamId);
  } catch (error) {
    deps.logger.warn('subscriptions not listed (database)', { error: String(error) });
    await reply(request, ':warning: I could not list the digests: the database did not answer. Try again in a minute.');
    return;
  }
  const { shown, hidden } = await visibleSubscriptions(request.client, request.userId, all, deps.logger);
  await reply(request, renderSubscriptionList(shown, hidden));
}

/** Already-escaped mrkdwn, or a rendered message. */
async function reply(request: SubscriptionRequest, message: string | RenderedMessage): Promise<void> {
  const content = typeof message === 'string' ? { text: message } : message;
  await request.respond({ response_type: 'ephemeral', replace_original: false, ...content });
}
