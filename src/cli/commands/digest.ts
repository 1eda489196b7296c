import type { Settings } from '../../config.js';
import type { Answerer, Tldr } from '../../answer/types.js';
import { composeDigest, deliverDigest, type DeliveryOutcome, type Digest } from '../../digest/deliver.js';
import { interleaveWorkspaces } from '../../digest/scheduler.js';
import type { Subscription } from '../../digest/subscription.js';
import { mapPool } from '../../lib/map-pool.js';
import { processOwnerId } from '../../runtime/owner.js';
import type { PaperIndex } from '../../search/types.js';
import { clientsFor, webClientOptions } from '../../slack/clients.js';
import { loadPostingConfig, SlackConfigError, type PostingConfig } from '../../slack/config.js';
import { createSlackDigestPublisher } from '../../slack/digest-publisher.js';
import type { AppStore } from '../../store/open.js';
import { channelsNamed, parseChannelFlag } from '../channel-flag.js';
import { openIndex } from '../corpus-index.js';
import { isoDate, UsageError, type Flags } from '../flags.js';
import { EXIT, terminalLogger, type CliIo } from '../io.js';
import { runsOn, scheduledAt } from '../../digest/schedule.js';
import { utcDay, weekdayOf } from '../../lib/days.js';
import { createRefresher } from '../../runtime/refresh.js';
import { DEFAULT_DIGEST_CALL_TIMEOUT_MS } from '../../slack/digest-publisher.js';
import { withEncryptedInstallations } from '../../slack/token-encryption.js';

/** Digests composed and posted at once; the Web API client queues calls and waits out rate limits. */
const CONCURRENCY = 8;
/** For tests of crash recovery; the domain's 5 minutes otherwise. */

interface Context {
  store: AppStore;
  index: PaperIndex;
  answerer: Answerer;
  fetchDays: (dates: string[]) => Promise<void>;
  lastHeard: () => Date | undefined;
}

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/**
 * `paperboy digest [--date D] [--channel C] --dry-run | --post`: what each subscription due on D
 * would get, or post it now through the same exactly-once path as the scheduler.
 */
export async function digest(flags: Flags, io: CliIo, store: () => Promise<AppStore>, today = utcDay()): Promise<number> {
  if (flags['dry-run'] === flags.post) throw new UsageError('give --dry-run (show what would be posted) or --post (post it now)');
  const date = flags.date ? isoDate(flags.date, 'date') : today;
  const posting = flags.post ? postingConfig(io.settings) : undefined;
  const opened = await store();
  const channel = flags.channel === undefined ? undefined : parseChannelFlag(flags.channel);
  let due = await dueSubscriptions(opened, date, channel && 'id' in channel ? channel.id : undefined);
  if (channel && 'name' in channel) due = await channelsNamed(channel.name, due, channelNames(io.settings, opened));
  if (!due.length) {
    io.err(
      flags.channel
        ? `No subscription of channel ${flags.channel} is due on ${date} (a ${weekday(date)}).`
        : `No subscription is due on ${date} (a ${weekday(date)}).`,
    );
    return EXIT.noMatch;
  }
  if (!(await opened.latestTrendingDate(date))) {
    io.err(`No Daily Papers on or before ${date} in the store: run "paperboy ingest", or start the bot once (it stores the seed's day).`);
    return EXIT.noMatch;
  }
  const index = await openIndex(undefined, io, store);
  // A closed day a digest needs and the store lacks is fetched first, as the bot does (bounded).
  const refresher = await createRefresher({
    store: opened,
    index,
    hf: { endpoint: io.settings.HF_ENDPOINT, token: io.settings.HF_TOKEN, attempts: 2, timeoutMs: 15_000 },
    logger: terminalLogger(io),
  });
  const context: Context = {
    store: opened,
    index,
    answerer: (await io.answerer(opened)).answerer,
    fetchDays: (dates) => refresher.fetchClosedDays(dates),
    lastHeard: () => refresher.lastHeard(),
  };
  return posting ? post(due, date, posting, context, io) : dryRun(due, date, context, io);
}

/**
 * When the digest for local `date` goes out: at the subscription's time that day, or now if that
 * is still to come (a day that has not ended is never taken as closed).
 */
function postingTime(subscription: Subscription, date: string): Date {
  return new Date(Math.min(Date.now(), scheduledAt(subscription, date).getTime()));
}

async function dryRun(due: Subscription[], date: string, context: Context, io: CliIo): Promise<number> {
  const digests = await mapPool(due, CONCURRENCY, (subscription) =>
    composeDigest(subscription, date, context, { at: postingTime(subscription, date) }),
  );
  const blocks = due.map((subscription, i) => {
    const composed = digests[i]!;
    if (composed.kind === 'digest') return formatDigest(composed.digest);
    if (composed.kind === 'waiting')
      return `${channelOf(subscription)}: nothing to post for ${date} yet: the Daily Papers of ${composed.missing.join(', ')} are not in the store and could not be fetched.`;
    return `${channelOf(subscription)}: nothing new to post for ${date} (${composed.reason}).`;
  });
  io.out(`Dry run: nothing is claimed or posted.\n\n${blocks.join('\n\n')}`);
  return EXIT.ok;
}

async function post(due: Subscription[], date: string, posting: PostingConfig, context: Context, io: CliIo): Promise<number> {
  const logger = terminalLogger(io);
  const installations = posting.tokenKeys ? withEncryptedInstallations(context.store, posting.tokenKeys) : context.store;
  const clientFor = clientsFor(posting.botToken, installations, webClientOptions(posting.apiUrl));
  const lease = io.settings.PAPERBOY_DIGEST_LEASE_MS;
  // Every post ends well within the lease, so that none is in flight when a claim is taken over.
  const timeoutMs = lease ? Math.min(DEFAULT_DIGEST_CALL_TIMEOUT_MS, Math.floor(lease / 2)) : DEFAULT_DIGEST_CALL_TIMEOUT_MS;
  const deps = {
    ...context,
    publisher: createSlackDigestPublisher({ clientFor, logger, timeoutMs }),
    owner: processOwnerId(),
    ...(lease ? { leaseMs: lease } : {}),
    logger,
  };
  // Round the workspaces, as the scheduler goes, so that one workspace's rate limit holds up no other.
  const order = interleaveWorkspaces(due.map((subscription) => ({ subscription })));
  const outcomes = await mapPool(order, CONCURRENCY, ({ subscription }) =>
    deliverDigest(subscription, date, { ...deps, now: () => postingTime(subscription, date) }),
  );
  order.forEach(({ subscription }, i) => io.out(`${channelOf(subscription)}: ${OUTCOMES[outcomes[i]!]}`));
  return outcomes.some((outcome) => outcome === 'failed' || outcome === 'waiting-for-list' || outcome === 'paused')
    ? EXIT.noMatch
    : EXIT.ok;
}

const OUTCOMES: Record<DeliveryOutcome, string> = {
  posted: 'posted',
  adopted: 'found in the channel (posted by a run that stopped before recording it): recorded, not posted again',
  'nothing-new': 'nothing new to post',
  'already-posted': 'already posted',
  'held-elsewhere': 'being posted by another process',
  'waiting-for-list': 'not posted: a closed Daily Papers day it needs is not in the store and could not be fetched; the next run retries',
  paused: 'paused: Slack says the bot cannot post in this channel (subscribe again to resume)',
  failed: 'failed; the next run retries',
};

/** Subscriptions whose schedule includes `date` (weekdays-only skip weekends), optionally one channel's. */
async function dueSubscriptions(store: AppStore, date: string, channel: string | undefined): Promise<Subscription[]> {
  const all = await store.listSubscriptions();
  const day = weekdayOf(date);
  return all.filter((s) => (!channel || s.channelId === channel) && runsOn(s, day));
}

/** Asks Slack a subscription's channel name (conversations.info), when the CLI can reach Slack. */
function channelNames(env: Settings, store: AppStore): ((subscription: Subscription) => Promise<string | undefined>) | undefined {
  let config: PostingConfig;
  try {
    config = loadPostingConfig(env);
  } catch {
    return undefined;
  }
  const clientFor = clientsFor(config.botToken, store, webClientOptions(config.apiUrl));
  return async ({ teamId, channelId }) => {
    const client = await clientFor(teamId);
    const info = await client?.conversations.info({ channel: channelId });
    return info?.channel?.name;
  };
}

function postingConfig(env: Settings): PostingConfig {
  try {
    return loadPostingConfig(env);
  } catch (error) {
    if (error instanceof SlackConfigError) throw new UsageError(`digest --post: ${error.message}`);
    throw error;
  }
}

function formatDigest(digest: Digest): string {
  const { subscription } = digest;
  const topics = subscription.topics ? `topics "${subscription.topics}"` : 'all topics';
  const days = digest.trendingDays.length > 1 ? `${digest.trendingDays[0]} to ${digest.trendingDate}` : digest.trendingDate;
  const lines = [`${channelOf(subscription)}: digest for ${digest.date} from the Daily Papers of ${days} (${topics})`];
  digest.picks.forEach((pick, i) => {
    lines.push(`  ${i + 1}. ${pick.paper.title}`);
    lines.push(`     ${tldrLabel(digest.tldrs[i]!)}: ${digest.tldrs[i]!.text}`);
    lines.push(`     Why: ${pick.reasons.join('; ')}`);
  });
  return lines.join('\n');
}

function tldrLabel(tldr: Tldr): string {
  return tldr.kind === 'llm' ? 'TL;DR' : `TL;DR (${tldr.kind === 'hf-ai-summary' ? "Hugging Face's AI summary" : 'extractive'})`;
}

function channelOf(subscription: Subscription): string {
  return `${subscription.teamId}/${subscription.channelId}`;
}

function weekday(date: string): string {
  return WEEKDAYS[weekdayOf(date)]!;
}
