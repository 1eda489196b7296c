import { getOrAdd } from '../lib/get-or-add.js';

/**
 * Slack's rate limits on chat.postMessage, as the fake Slack models them. Slack documents about one
 * message per second per channel ("short bursts tolerated") and, beyond the method's tier, limits
 * a workspace as a whole; both are modelled as token buckets:
 * - a channel holds one post and regains one per second (bursts are not tolerated, a stricter model);
 * - a workspace holds `teamBurst` posts and regains `teamPerMinute` a minute.
 * A post goes through only when both buckets have a token; a refused post takes none and is told,
 * in whole seconds as Slack's Retry-After is, when to try again.
 */
export interface RateLimits {
  /** Posts per second in one channel; default 1. */
  channelPerSecond?: number;
  /** Posts per minute across one workspace. */
  teamPerMinute: number;
  /** Posts a workspace may make at once before the per-minute rate applies; default a tenth of a minute's budget. */
  teamBurst?: number;
}

export class RateLimiter {
  private readonly channels = new Map<string, TokenBucket>();
  private readonly teams = new Map<string, TokenBucket>();

  constructor(private readonly limits: RateLimits) {}

  /** 0 when the post may go (its tokens are taken), else the seconds to wait, rounded up. */
  admit(teamId: string, channel: string, now = Date.now()): number {
    const perSecond = this.limits.channelPerSecond ?? 1;
    const channelBucket = getOrAdd(this.channels, `${teamId}/${channel}`, () => new TokenBucket(perSecond / 1000, 1, now));
    const teamBucket = getOrAdd(this.teams, teamId, () => new TokenBucket(this.limits.teamPerMinute / 60_000, teamBurst(this.limits), now));
    const waitMs = Math.max(channelBucket.waitMs(now), teamBucket.waitMs(now));
    if (waitMs > 0) return Math.max(1, Math.ceil(waitMs / 1000));
    channelBucket.take();
    teamBucket.take();
    return 0;
  }
}

/** The least time `posts` posts to distinct channels of one workspace can take under these limits. */
export function floorMs(limits: RateLimits, posts: number): number {
  return (Math.max(0, posts - teamBurst(limits)) / limits.teamPerMinute) * 60_000;
}

function teamBurst(limits: RateLimits): number {
  return limits.teamBurst ?? Math.max(1, Math.floor(limits.teamPerMinute / 10));
}

class TokenBucket {
  private tokens: number;

  constructor(
    private readonly perMs: number,
    private readonly capacity: number,
    private at: number,
  ) {
    this.tokens = capacity;
  }

  /** Refills up to `now`; 0 when a token is there, else how long until one is. */
  waitMs(now: number): number {
    this.tokens = Math.min(this.capacity, this.tokens + (now - this.at) * this.perMs);
    this.at = now;
    return this.tokens >= 1 ? 0 : (1 - this.tokens) / this.perMs;
  }

  take(): void {
    this.tokens -= 1;
  }
}
