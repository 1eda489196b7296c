import type { Answerer, Tldr } from '../answer/types.js';
import type { PaperIndex } from '../search/types.js';
import type { DigestKey, DigestStore } from './digest-store.js';
import type { PaperStore } from '../papers/paper-store.js';
import type { Store } from '../store/store.js';
import { selectDigest, type DigestPick } from './select.js';
import type { Subscription } from './subscription.js';
import { addDays } from '../lib/days.js';

export const DEFAULT_DIGEST_SIZE = 5;
/** A channel never gets the same paper twice within this many days. */
export const DEDUPE_DAYS = 30;
/** Long enough to post one digest through Slack's rate limits; short enough to recover soon after a crash. */
export const DEFAULT_LEASE_MS = 5 * 60_000;

export interface Digest {
  subscription: Subscription;
  /** The subscriber's local date the digest is for. */
  date: string;
  /** The Daily Papers day the papers come from (the latest on or before `date`). */
  trendingDate: string;
  picks: DigestPick[];
  /** One per pick, same order. */
  tldrs: Tldr[];
}

/** The Slack side of a digest, so the domain knows nothing of Slack. */
export interface DigestPublisher {
  /** Posts the digest with metadata naming its date and papers; returns the message ts. */
  publish(digest: Digest): Promise<string>;
  /** A digest for this key already in the channel (found by its metadata), e.g. posted before a crash. */
  findPublished(key: DigestKey): Promise<{ ts: string; paperIds: string[] } | undefined>;
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
  log?: (message: string) => void;
}

export type DeliveryOutcome = 'posted' | 'adopted' | 'nothing-new' | 'already-posted' | 'held-elsewhere' | 'failed';

/** What the channel's digest for `date` would hold; undefined when there is nothing new to post. */
export async function composeDigest(
  subscription: Subscription,
  date: string,
  deps: Pick<DigestDeps, 'store' | 'index' | 'answerer' | 'size'>,
): Promise<Digest | undefined> {
  const { store } = deps;
  const trendingDate = await store.latestTrendingDate(date);
  if (!trendingDate) return undefined;
  const { teamId, channelId } = subscription;
  const [trending, alreadyPosted, votes] = await Promise.all([
    store.trendingOn(trendingDate),
    store.postedPaperIds(teamId, channelId, addDays(date, -DEDUPE_DAYS)),
    store.channelVotes(teamId, channelId),
  ]);
  const picks = selectDigest(
    { trending, topics: subscription.topics, alreadyPosted, ...votes, limit: deps.size ?? DEFAULT_DIGEST_SIZE },
    deps.index,
  );
  if (!picks.length) return undefined;
  const tldrs = await Promise.all(picks.map((pick) => deps.answerer.tldr(pick.paper)));
  return { subscription, date, trendingDate, picks, tldrs };
}

/**
 * Posts one channel's digest exactly once, whatever other processes do: claim it, adopt a post an
 * expired claim left behind, else compose and publish, then record the post and its thread.
 */
export async function deliverDigest(subscription: Subscription, date: string, deps: DigestDeps): Promise<DeliveryOutcome> {
  const key: DigestKey = { teamId: subscription.teamId, channelId: subscription.channelId, date };
  const claim = await deps.store.claimDigest(key, deps.owner, deps.leaseMs ?? DEFAULT_LEASE_MS);
  if (!claim.claimed) return claim.reason === 'posted' ? 'already-posted' : 'held-elsewhere';
  let published = false;
  try {
    if (claim.recovering) {
      const found = await deps.publisher.findPublished(key);
      if (found) {
        published = true;
        await record(key, found.ts, found.paperIds, deps);
        return 'adopted';
      }
    }
    const digest = await composeDigest(subscription, date, deps);
    if (!digest) {
      await deps.store.markDigestPosted(key, deps.owner, '', []);
      return 'nothing-new';
    }
    const ts = await deps.publisher.publish(digest);
    published = true;
    await record(key, ts, digest.picks.map((pick) => pick.paper.id), deps);
    return 'posted';
  } catch (error) {
    deps.log?.(`digest ${key.teamId}/${key.channelId}/${date} failed: ${(error as Error).message}`);
    // Once the message is in the channel, keep the claim: when its lease runs out, recovery finds
    // the message by its metadata and adopts it. Releasing it now could post the digest twice.
    if (!published) await deps.store.releaseDigest(key, deps.owner).catch(() => undefined);
    return published ? 'posted' : 'failed';
  }
}

async function record(key: DigestKey, ts: string, paperIds: string[], deps: DigestDeps): Promise<void> {
  const ours = await deps.store.markDigestPosted(key, deps.owner, ts, paperIds);
  if (!ours) deps.log?.(`digest ${key.teamId}/${key.channelId}/${key.date}: claim lost before it was recorded`);
  await deps.store.saveThread({ teamId: key.teamId, channelId: key.channelId, threadTs: ts, kind: 'digest', paperIds });
}
