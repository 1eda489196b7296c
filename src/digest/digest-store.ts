import type { ChannelVotes } from '../store/feedback-store.js';
import type { DigestKind, Subscription } from './subscription.js';

export interface DigestKey {
  teamId: string;
  channelId: string;
  /** Which of the channel's digests; absent: trending. Each kind is claimed and posted on its own. */
  kind?: DigestKind;
  /** The subscriber's local date the digest is for. */
  date: string;
}

/** A digest due now, by key. */
export type DueKey = { teamId: string; channelId: string; kind: DigestKind; date: string };

/** One zone's times due now: subscriptions at `from`..`to` (HH:MM, both included) owe their digest for `date`. */
export interface DueWindow {
  timeZone: string;
  from: string;
  to: string;
  date: string;
  /** `date` is a Saturday or Sunday: weekdays-only subscriptions are not due. */
  weekend: boolean;
}

export type DigestClaim =
  /**
   * Ours to post, under `fence` (the claim's attempt number: every write of ours names it, so a
   * process whose lease was taken over can change nothing). `recovering`: an earlier attempt may
   * have posted, so look in the channel first, back to `since`, when the claim was first taken.
   */
  | { claimed: true; recovering: boolean; fence: number; since: Date }
  /** Already posted, or another process holds a live lease. */
  | { claimed: false; reason: 'posted' | 'held' };

/** Subscriptions, and the exactly-once bookkeeping of the digests posted for them. */
export interface DigestStore {
  /** One subscription per channel and kind; subscribing again replaces it. */
  saveSubscription(subscription: Subscription): Promise<void>;
  /** False when the channel had none. */
  removeSubscription(teamId: string, channelId: string, kind?: DigestKind): Promise<boolean>;
  getSubscription(teamId: string, channelId: string, kind?: DigestKind): Promise<Subscription | undefined>;
  /** All subscriptions, or one workspace's. */
  listSubscriptions(teamId?: string): Promise<Subscription[]>;
  /** The time zones subscriptions use (one query over an index). */
  subscriptionZones(): Promise<string[]>;
  /**
   * In one query, which channels are due: the unpaused subscriptions inside one of the windows whose
   * digest for the window's date is neither posted nor held by a live lease at `now` (keys only).
   */
  subscriptionsDue(windows: DueWindow[], now: Date): Promise<DueKey[]>;
  /** The subscriptions of these channels and kinds (those that still exist; no kind: trending), in one query. */
  subscriptionsOf(channels: Array<{ teamId: string; channelId: string; kind?: DigestKind }>): Promise<Subscription[]>;

  /**
   * Claims the digest for (team, channel, date) for `owner` until now + leaseMs. Atomic: of any
   * number of processes, one gets it; a claim whose lease ran out without a post can be taken over.
   */
  claimDigest(key: DigestKey, owner: string, leaseMs: number): Promise<DigestClaim>;
  /** Extends our lease (a post is in flight). False when the claim is no longer ours: post nothing. */
  renewDigest(key: DigestKey, owner: string, fence: number, leaseMs: number): Promise<boolean>;
  /**
   * Marks the claim "maybe posted" (for good) and renews the lease, just before the post is sent.
   * False when the claim is no longer ours: then the post must not be sent.
   */
  markDigestSending(key: DigestKey, owner: string, fence: number, leaseMs: number): Promise<boolean>;
  /**
   * Records the post (only by the claim's owner) and the papers it carried; `throughDay`, the newest
   * Daily Papers day it covered. False if the claim is not ours.
   */
  markDigestPosted(key: DigestKey, owner: string, ts: string, paperIds: string[], throughDay?: string): Promise<boolean>;
  /**
   * Gives a claim up after a failure so that a later tick retries at once. A claim never sent is
   * forgotten; one that may have been posted stays, its lease ended, for the next claimant to recover.
   */
  releaseDigest(key: DigestKey, owner: string): Promise<void>;
  /** The newest Daily Papers day the channel's posted digests covered, if any. */
  lastDigestDay(teamId: string, channelId: string, kind?: DigestKind): Promise<string | undefined>;
  /** Stops the channel's digests (Slack says the channel is gone or closed to the bot); subscribing again resumes them. */
  pauseSubscription(teamId: string, channelId: string, reason: string, kind?: DigestKind): Promise<void>;
  /** Ids of papers posted to the channel in digests (of either kind) dated on or after `sinceDate`. */
  postedPaperIds(teamId: string, channelId: string, sinceDate: string): Promise<Set<string>>;
  /** The channel's net votes: papers with more 👍 than 👎, and the other way round. */
  channelVotes(teamId: string, channelId: string): Promise<ChannelVotes>;
}
