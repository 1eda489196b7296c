import type { Answerer, Tldr } from '../answer/types.js';
import type { PaperIndex } from '../search/types.js';
import type { DigestKey, DigestStore } from './digest-store.js';
import type { PaperStore } from '../papers/paper-store.js';
import type { Store } from '../store/store.js';
import { selectDigest, type DigestPick } from './select.js';
import { kindOf, type Subscription } from './subscription.js';
import { selectArxivDigest } from './arxiv.js';
import { addDays, utcDay } from '../lib/days.js';
import type { Paper } from '../papers/paper.js';

/*
 * One channel's digest for one local date, posted exactly once by any number of processes that
 * crash, time out and lose answers: the claim's states and why no sequence posts twice are in
 * ./DESIGN.md. Which papers: the newest Daily Papers day that has closed (UTC) when it is posted,
 * plus every closed day since the channel's previous digest, merged and ranked.
 */

export const DEFAULT_DIGEST_SIZE = 5;
/** A channel never gets the same paper twice within this many days; nor a window of days longer. */
export const DEDUPE_DAYS = 30;
/** Long enough to post one digest through Slack's rate limits; short enough to recover soon after a crash. */
export const DEFAULT_LEASE_MS = 5 * 60_000;
/** The longest Retry-After a digest waits out (renewing its lease) before leaving it to a later tick. */
export const MAX_RATE_LIMIT_WAIT_MS = 10 * 60_000;
/** A first digest reaches back this far for the newest list with papers (a Monday after an empty weekend). */
const FIRST_DIGEST_LOOKBACK_DAYS = 7;

export interface Digest {
  subscription: Subscription;
  /** The subscriber's local date the digest is for. */
  date: string;
  /** The newest Daily Papers day the papers come from. */
  trendingDate: string;
  /** Every Daily Papers day it covers, oldest first (the channel had none of them). */
  trendingDays: string[];
  picks: DigestPick[];
  /** One per pick, same order. */
  tldrs: Tldr[];
  /** Set when the list is older than the newest closed day (a manual post while Hugging Face is unreachable). */
  stale?: { newestClosedDay: string; lastHeard?: Date };
  /** The arXiv digest: how many more papers matched than it shows, and where to see them all. */
  more?: { count: number; url: string };
}

/** The Slack side of a digest, so the domain knows nothing of Slack. */
export interface DigestPublisher {
  /**
   * Posts the digest with metadata naming its date and papers; returns the message ts. Sends once
   * (no retries). Throws PublishRefused or PublishRateLimited when Slack certainly did not post it;
   * any other error means the post may have reached the channel.
   */
  publish(digest: Digest): Promise<string>;
  /**
   * A digest for this key already in the channel (found by its metadata), posted at or after `since`
   * (when the claim was first taken): reads every page back to then. Throws when it cannot tell.
   */
  findPublished(key: DigestKey, since: Date): Promise<{ ts: string; paperIds: string[]; throughDay?: string } | undefined>;
}

/** Slack certainly did not post it. `channelGone`: it never will (channel deleted, archived, bot removed). */
export class PublishRefused extends Error {
  override name = 'PublishRefused';
  constructor(
    readonly reason: string,
    readonly channelGone: boolean,
  ) {
    super(`Slack refused the digest: ${reason}`);
  }
}

/** Slack did not post it and asks to wait this long first. */
export class PublishRateLimited extends Error {
  override name = 'PublishRateLimited';
  constructor(readonly retryAfterMs: number) {
    super(`Slack rate-limited the digest: retry after ${Math.round(retryAfterMs / 1000)} s`);
  }
}

export interface DigestLog {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
}

export interface DigestDeps {
  store: Store & DigestStore & PaperStore;
  index: PaperIndex;
  answerer: Answerer;
  publisher: DigestPublisher;
  /** Who claims: unique per process. */
  owner: string;
  leaseMs?: number;
  size?: number;
  logger?: DigestLog;
  /** Fetches closed days missing from the store (bounded; never throws). Absent: use the store as it is. */
  fetchDays?: (dates: string[]) => Promise<void>;
  /** When Hugging Face last answered, for a digest that has to say its list is old. */
  lastHeard?: () => Date | undefined;
  /** The wall clock (tests move it). */
  now?: () => Date;
  /** Waits out a Retry-After (tests shorten it). */
  sleep?: (ms: number) => Promise<void>;
  /** A manual post (the sandbox's button) may use an older list, saying so, rather than wait. */
  allowOld?: boolean;
}

export type DeliveryOutcome =
  | 'posted'
  | 'adopted'
  | 'nothing-new'
  | 'waiting-for-list'
  | 'already-posted'
  | 'held-elsewhere'
  | 'paused'
  | 'failed';

export type Composed =
  | { kind: 'digest'; digest: Digest }
  /** `throughDay`: the newest day it covered, when not the newest closed day (arXiv days still arriving). */
  | { kind: 'nothing-new'; reason: string; throughDay?: string }
  /** A closed day the channel is owed is not in the store and could not be fetched: post nothing yet. */
  | { kind: 'waiting'; missing: string[] };

export interface ComposeOptions {
  /** When the digest goes out: which Daily Papers days have closed. */
  at: Date;
  /** A manual post may use an older list (and say so) rather than wait for the closed day. */
  allowOld?: boolean;
}

/** What the channel's digest for `date` would hold, posted at `options.at`. */
export async function composeDigest(
  subscription: Subscription,
  date: string,
  deps: Pick<DigestDeps, 'store' | 'index' | 'answerer' | 'size' | 'fetchDays' | 'lastHeard'>,
  options: ComposeOptions,
): Promise<Composed> {
  const { store } = deps;
  const { teamId, channelId } = subscription;
  const newest = addDays(utcDay(options.at), -1);
  if (kindOf(subscription) === 'arxiv') {
    const size = deps.size ?? DEFAULT_DIGEST_SIZE;
    const selected = await selectArxivDigest(subscription, newest, addDays(date, -DEDUPE_DAYS), { ...deps, size });
    if (selected.kind === 'nothing-new') return selected;
    const { days, picks, more, listing } = selected;
    const tldrs = await Promise.all(picks.map((pick) => deps.answerer.tldr(pick.paper)));
    const digest: Digest = { subscription, date, trendingDate: days.at(-1)!, trendingDays: days, picks, tldrs };
    return { kind: 'digest', digest: more ? { ...digest, more: { count: more, url: listing } } : digest };
  }
  const window = await owedDays(subscription, newest, deps);
  if (!window.length) return { kind: 'nothing-new', reason: `already has every closed Daily Papers day through ${newest}` };
  let held = await store.daysHeld(window[0]!, newest);
  const unheld = () => window.filter((day) => !held.closed.has(day) && !held.withPapers.has(day));
  // A day stored while it was still filling up (or not at all) is fetched again now that it has closed.
  const toFetch = window.filter((day) => !held.closed.has(day));
  if (toFetch.length && deps.fetchDays) {
    await deps.fetchDays(toFetch);
    held = await store.daysHeld(window[0]!, newest);
  }
  let days = window.filter((day) => held.withPapers.has(day));
  let stale: Digest['stale'];
  const missing = unheld();
  if (missing.length) {
    if (!options.allowOld) return { kind: 'waiting', missing };
    const old = await store.latestTrendingDate(newest);
    if (!old) return { kind: 'waiting', missing };
    days = [...new Set([...days, old])].sort();
    const lastHeard = deps.lastHeard?.();
    stale = { newestClosedDay: newest, ...(lastHeard ? { lastHeard } : {}) };
  }
  if (!days.length) return { kind: 'nothing-new', reason: `no Daily Papers on ${describeDays(window)}` };
  const [lists, alreadyPosted, votes] = await Promise.all([
    Promise.all(days.map((day) => store.trendingOn(day))),
    store.postedPaperIds(teamId, channelId, addDays(date, -DEDUPE_DAYS)),
    store.channelVotes(teamId, channelId),
  ]);
  const picks = selectDigest(
    { trending: mergeLists(lists), topics: subscription.topics, alreadyPosted, ...votes, limit: deps.size ?? DEFAULT_DIGEST_SIZE },
    deps.index,
  );
  if (!picks.length) {
    return { kind: 'nothing-new', reason: `nothing new on its topics in the Daily Papers of ${describeDays(days)}` };
  }
  const tldrs = await Promise.all(picks.map((pick) => deps.answerer.tldr(pick.paper)));
  const digest: Digest = { subscription, date, trendingDate: days.at(-1)!, trendingDays: days, picks, tldrs, ...(stale ? { stale } : {}) };
  return { kind: 'digest', digest };
}

/**
 * The closed days the channel has not received, oldest first: from the day after its previous
 * digest's newest (at most DEDUPE_DAYS back) through `newest`. A first digest starts at the newest
 * day with papers of the last week, so that a Monday's first digest is not an empty Sunday.
 */
async function owedDays(subscription: Subscription, newest: string, deps: Pick<DigestDeps, 'store'>): Promise<string[]> {
  const earliest = addDays(newest, -(DEDUPE_DAYS - 1));
  const last = await deps.store.lastDigestDay(subscription.teamId, subscription.channelId);
  let from: string;
  if (last) from = addDays(last, 1);
  else {
    const latest = await deps.store.latestTrendingDate(newest);
    from = latest && latest >= addDays(newest, -FIRST_DIGEST_LOOKBACK_DAYS) ? latest : newest;
  }
  if (from < earliest) from = earliest;
  const days: string[] = [];
  for (let day = from; day <= newest; day = addDays(day, 1)) days.push(day);
  return days;
}

/** One entry per paper, the newest day's (lists come oldest first); newest day's papers first. */
function mergeLists(lists: Paper[][]): Paper[] {
  const byId = new Map<string, Paper>();
  for (const list of lists) for (const paper of list) byId.set(paper.id, paper);
  return [...byId.values()].reverse();
}

export function describeDays(days: string[]): string {
  return days.length === 1 ? days[0]! : `${days[0]} to ${days.at(-1)}`;
}

/**
 * Posts one channel's digest exactly once, whatever other processes do (./DESIGN.md): claim it;
 * if an earlier attempt may have posted, look in the channel and adopt what it finds; else compose,
 * mark the claim "maybe posted" (fenced: only if still ours), post once with the lease renewed while
 * the post is in flight, and record it.
 */
export async function deliverDigest(subscription: Subscription, date: string, deps: DigestDeps): Promise<DeliveryOutcome> {
  const now = deps.now ?? (() => new Date());
  const kind = kindOf(subscription);
  const key: DigestKey = { teamId: subscription.teamId, channelId: subscription.channelId, date, ...(kind === 'trending' ? {} : { kind }) };
  const where = { channel: `${key.teamId}/${key.channelId}`, kind, date };
  if (subscription.paused) return 'paused';
  const leaseMs = deps.leaseMs ?? DEFAULT_LEASE_MS;
  const claim = await deps.store.claimDigest(key, deps.owner, leaseMs);
  if (!claim.claimed) return claim.reason === 'posted' ? 'already-posted' : 'held-elsewhere';
  const lease = keepLease(key, claim.fence, leaseMs, deps);
  try {
    if (claim.recovering) {
      const found = await deps.publisher.findPublished(key, claim.since);
      if (found) {
        await record(key, found.ts, found.paperIds, found.throughDay, deps);
        deps.logger?.info('digest found in the channel (an earlier attempt posted it): recorded, not posted again', where);
        return 'adopted';
      }
    }
    const composed = await composeDigest(subscription, date, deps, { at: now(), ...(deps.allowOld ? { allowOld: true } : {}) });
    if (composed.kind === 'waiting') {
      deps.logger?.warn(
        'digest skipped for now: a closed Daily Papers day is not in the store and could not be fetched; retried next tick',
        {
          ...where,
          missing: composed.missing.join(','),
        },
      );
      await deps.store.releaseDigest(key, deps.owner);
      return 'waiting-for-list';
    }
    if (composed.kind === 'nothing-new') {
      deps.logger?.warn('digest skipped: nothing new', { ...where, reason: composed.reason });
      await deps.store.markDigestPosted(key, deps.owner, '', [], composed.throughDay ?? addDays(utcDay(now()), -1));
      return 'nothing-new';
    }
    return await publishOnce(composed.digest, key, claim.fence, lease, deps);
  } catch (error) {
    await deps.store.releaseDigest(key, deps.owner).catch(() => undefined);
    if (error instanceof PublishRefused && error.channelGone) {
      await deps.store.pauseSubscription(key.teamId, key.channelId, error.reason, kind).catch(() => undefined);
      deps.logger?.warn('digest skipped: Slack says the channel is gone or closed to the bot; subscription paused', {
        ...where,
        reason: error.reason,
      });
      return 'paused';
    }
    const maybe = !(error instanceof PublishRefused || error instanceof PublishRateLimited);
    deps.logger?.warn(
      maybe
        ? 'digest may have been posted (no clear answer); the next tick looks in the channel first'
        : 'digest skipped: Slack refused it; retried next tick',
      {
        ...where,
        error: (error as Error).message,
      },
    );
    return 'failed';
  } finally {
    lease.stop();
  }
}

/** Sends the post at most once per "maybe posted" mark, waiting out rate limits with the lease kept. */
async function publishOnce(digest: Digest, key: DigestKey, fence: number, lease: Lease, deps: DigestDeps): Promise<DeliveryOutcome> {
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  let waited = 0;
  for (;;) {
    // Fenced: if another process took the claim over, this matches nothing and nothing is sent.
    if (lease.lost() || !(await deps.store.markDigestSending(key, deps.owner, fence, deps.leaseMs ?? DEFAULT_LEASE_MS))) {
      deps.logger?.warn('digest not sent: another process took the claim over', {
        channel: `${key.teamId}/${key.channelId}`,
        date: key.date,
      });
      return 'held-elsewhere';
    }
    try {
      const ts = await deps.publisher.publish(digest);
      await record(
        key,
        ts,
        digest.picks.map((pick) => pick.paper.id),
        digest.trendingDate,
        deps,
      );
      return 'posted';
    } catch (error) {
      if (!(error instanceof PublishRateLimited) || waited + error.retryAfterMs > MAX_RATE_LIMIT_WAIT_MS) throw error;
      waited += error.retryAfterMs;
      await sleep(error.retryAfterMs);
    }
  }
}

async function record(key: DigestKey, ts: string, paperIds: string[], throughDay: string | undefined, deps: DigestDeps): Promise<void> {
  const ours = await deps.store.markDigestPosted(key, deps.owner, ts, paperIds, throughDay);
  if (!ours) deps.logger?.warn('digest claim lost before it was recorded', { channel: `${key.teamId}/${key.channelId}`, date: key.date });
  await deps.store.saveThread({ teamId: key.teamId, channelId: key.channelId, threadTs: ts, kind: 'digest', paperIds });
}

interface Lease {
  /** True once a renewal found the claim no longer ours. */
  lost(): boolean;
  stop(): void;
}

/** Renews the claim's lease every third of it while the delivery runs, so no one takes it over mid-post. */
function keepLease(key: DigestKey, fence: number, leaseMs: number, deps: DigestDeps): Lease {
  let lost = false;
  const timer = setInterval(
    () => {
      deps.store.renewDigest(key, deps.owner, fence, leaseMs).then(
        (ours) => (lost ||= !ours),
        () => undefined, // The database may be back at the next renewal; the post's timeout is shorter than the lease.
      );
    },
    Math.max(50, Math.floor(leaseMs / 3)),
  );
  timer.unref();
  return { lost: () => lost, stop: () => clearInterval(timer) };
}
