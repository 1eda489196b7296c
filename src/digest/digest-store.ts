import type { ChannelVotes } from '../store/feedback-store.js';
import type { Subscription } from './subscription.js';

export interface DigestKey {
  teamId: string;
  channelId: string;
  /** The subscriber's local date the digest is for. */
  date: string;
}

export type DigestClaim =
  /** Ours to post. `recovering`: an earlier owner's lease ran out, so first look in the channel for its post. */
  | { claimed: true; recovering: boolean }
  /** Already posted, or another process holds a live lease. */
  | { claimed: false; reason: 'posted' | 'held' };

/** Subscriptions, and the exactly-once bookkeeping of the digests posted for them. */
export interface DigestStore {
  /** One subscription per channel; subscribing again replaces it. */
  saveSubscription(subscription: Subscription): Promise<void>;
  /** False when the channel had none. */
  removeSubscription(teamId: string, channelId: string): Promise<boolean>;
  getSubscription(teamId: string, channelId: string): Promise<Subscription | undefined>;
  /** All subscriptions, or one workspace's. */
  listSubscriptions(teamId?: string): Promise<Subscription[]>;

  /**
   * Claims the digest for (team, channel, date) for `owner` until now + leaseMs. Atomic: of any
   * number of processes, one gets it; a claim whose lease ran out without a post can be taken over.
   */
  claimDigest(key: DigestKey, owner: string, leaseMs: number): Promise<DigestClaim>;
  /** Records the post (only by the claim's owner) and the papers it carried. False if the claim is not ours. */
  markDigestPosted(key: DigestKey, owner: string, ts: string, paperIds: string[]): Promise<boolean>;
  /** Gives a claim up after a failure so that a later tick retries at once. */
  releaseDigest(key: DigestKey, owner: string): Promise<void>;
  /** Ids of papers posted to the channel in digests dated on or after `sinceDate`. */
  postedPaperIds(teamId: string, channelId: string, sinceDate: string): Promise<Set<string>>;
  /** The channel's net votes: papers with more 👍 than 👎, and the other way round. */
  channelVotes(teamId: string, channelId: string): Promise<ChannelVotes>;
}
