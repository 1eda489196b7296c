import { webApi } from '@slack/bolt';
import type { Logger } from '../lib/logger.js';
import { PublishRateLimited, PublishRefused, type Digest, type DigestPublisher } from '../digest/deliver.js';
import type { DigestKey } from '../digest/digest-store.js';
import { renderDigest } from './blocks/digest.js';
import { kindOf } from '../digest/subscription.js';
import type { ClientFor } from './clients.js';

export const DIGEST_EVENT_TYPE = 'paperboy_digest';
/** conversations.history's largest page: recovery reads back to the claim's first time, every page. */
const HISTORY_PAGE = 999;
/** Slack's ts and our clock may disagree a little: recovery reads this much further back. */
const CLOCK_SKEW_MS = 60_000;
/** A digest post or history read that has not answered by then is abandoned (the post counts as "maybe posted"). */
export const DEFAULT_DIGEST_CALL_TIMEOUT_MS = 30_000;
/** What Slack answers when the channel will never take the digest: the subscription is paused. */
const CHANNEL_GONE = new Set(['channel_not_found', 'is_archived', 'not_in_channel', 'channel_is_archived']);

export interface SlackDigestPublisherOptions {
  clientFor: ClientFor;
  logger: Logger;
  /**
   * Digests posted at once per workspace; default 8. A post that hangs holds its place until the
   * Web client's timeout, so the others go on through the rest.
   */
  postsPerWorkspace?: number;
  /** A post's timeout; keep it shorter than the claim's lease. Default DEFAULT_DIGEST_CALL_TIMEOUT_MS. */
  timeoutMs?: number;
}

/**
 * Posts digests with Slack message metadata naming their date and papers, and finds them again by
 * it after a crash. Each post is sent once, with a timeout and no client retries (a retried post
 * that Slack had accepted is a second digest): a clear refusal or a 429 is reported as such, any
 * other failure means "maybe posted", and the deliverer decides what comes next. Slack limits a
 * workspace as a whole, so its digests go a few at a time: more in flight would only collect 429s
 * (bench/digest.ts: 100 at once took 42 s and 1,788 429s, 8 at once 23 s and 416).
 */
export function createSlackDigestPublisher({
  clientFor,
  logger,
  postsPerWorkspace = 8,
  timeoutMs = DEFAULT_DIGEST_CALL_TIMEOUT_MS,
}: SlackDigestPublisherOptions): DigestPublisher {
  const botIds = new Map<string, Promise<string | undefined>>();
  const inWorkspace = lanes(postsPerWorkspace);
  const postClients = new WeakMap<webApi.WebClient, webApi.WebClient>();
  const readClients = new WeakMap<webApi.WebClient, webApi.WebClient>();

  /**
   * The workspace's client, copied with the options a digest needs: each call sent once, 429s
   * reported instead of waited out, so that the deliverer decides. Posts time out after `timeoutMs`
   * (shorter than the lease); history reads, safe to repeat at the next tick, after the default.
   */
  async function clientOf(teamId: string, kind: 'post' | 'read'): Promise<webApi.WebClient> {
    const base = await clientFor(teamId);
    const cache = kind === 'post' ? postClients : readClients;
    let client = cache.get(base);
    if (!client) {
      client = new webApi.WebClient(base.token, {
        slackApiUrl: base.slackApiUrl,
        teamId,
        retryConfig: { retries: 0 },
        rejectRateLimitedCalls: true,
        timeout: kind === 'post' ? timeoutMs : DEFAULT_DIGEST_CALL_TIMEOUT_MS,
      });
      cache.set(base, client);
    }
    return client;
  }

  /** The bot's own id in the workspace, so that only its messages are taken for digests. */
  function botIdOf(teamId: string, client: webApi.WebClient): Promise<string | undefined> {
    let botId = botIds.get(teamId);
    if (!botId) {
      botId = client.auth.test().then((auth) => auth.bot_id);
      botId.catch(() => botIds.delete(teamId));
      botIds.set(teamId, botId);
    }
    return botId;
  }

  return {
    async publish(digest: Digest): Promise<string> {
      const { teamId, channelId } = digest.subscription;
      const client = await clientOf(teamId, 'post');
      const message = renderDigest(digest);
      const posted = await inWorkspace(teamId, () =>
        sendOnce(() =>
          client.chat.postMessage({
            channel: channelId,
            text: message.text,
            blocks: message.blocks,
            unfurl_links: false,
            unfurl_media: false,
            metadata: {
              event_type: DIGEST_EVENT_TYPE,
              event_payload: {
                date: digest.date,
                kind: kindOf(digest.subscription),
                trending_date: digest.trendingDate,
                paper_ids: encodePaperIds(digest.picks.map((pick) => pick.paper.id)),
              },
            },
          }),
        ),
      );
      if (!posted.ts) throw new Error(`chat.postMessage to ${channelId} returned no ts`);
      return posted.ts;
    },

    async findPublished(key: DigestKey, since: Date) {
      const client = await clientOf(key.teamId, 'read');
      const botId = await botIdOf(key.teamId, client);
      // Any earlier post of this digest went out after its claim was first taken: reading back to
      // then (not a fixed number of pages) is short and complete, however busy the channel.
      const oldest = ((since.getTime() - CLOCK_SKEW_MS) / 1000).toFixed(6);
      let cursor: string | undefined;
      for (let page = 0; ; page++) {
        const history = await client.conversations.history({
          channel: key.channelId,
          oldest,
          limit: HISTORY_PAGE,
          include_all_metadata: true,
          ...(cursor ? { cursor } : {}),
        });
        for (const message of history.messages ?? []) {
          const payload = digestPayload(message.metadata);
          // A post from before there were two kinds has no kind: it is a trending digest.
          const kind = payload?.kind ?? 'trending';
          if (message.ts && message.bot_id === botId && payload?.date === key.date && kind === (key.kind ?? 'trending')) {
            const throughDay = typeof payload.trending_date === 'string' ? payload.trending_date : undefined;
            return { ts: message.ts, paperIds: decodePaperIds(payload.paper_ids), ...(throughDay ? { throughDay } : {}) };
          }
        }
        cursor = history.response_metadata?.next_cursor;
        if (!history.has_more || !cursor) {
          if (page > 0) logger.info('digest search read several pages', { channel: key.channelId, date: key.date, pages: page + 1 });
          return undefined;
        }
      }
    },
  };
}

/** Slack's clear refusals and 429s as the domain's errors; anything else (timeout, reset, 5xx) passes as "maybe posted". */
async function sendOnce<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    const e = error as { code?: string; data?: { error?: string }; retryAfter?: number };
    if (e.code === webApi.ErrorCode.RateLimitedError) throw new PublishRateLimited((e.retryAfter ?? 1) * 1000);
    if (e.code === webApi.ErrorCode.PlatformError) {
      const reason = e.data?.error ?? 'unknown_error';
      throw new PublishRefused(reason, CHANNEL_GONE.has(reason));
    }
    throw error;
  }
}

/** Runs at most `width` tasks at once per key, the others in the order they came. */
function lanes(width: number) {
  const busy = new Map<string, { running: number; waiting: Array<() => void> }>();
  return async <T>(key: string, task: () => Promise<T>): Promise<T> => {
    let lane = busy.get(key);
    if (!lane) {
      lane = { running: 0, waiting: [] };
      busy.set(key, lane);
    }
    const mine = lane;
    if (mine.running < width) mine.running++;
    else await new Promise<void>((resolve) => mine.waiting.push(resolve));
    try {
      return await task();
    } finally {
      // The slot passes straight to the next task waiting, if any.
      const next = mine.waiting.shift();
      if (next) next();
      else if (--mine.running === 0) busy.delete(key);
    }
  };
}

/** The payload of a digest's metadata; undefined for any other message. */
function digestPayload(metadata: { event_type?: string; event_payload?: object } | undefined): Record<string, unknown> | undefined {
  if (metadata?.event_type !== DIGEST_EVENT_TYPE || typeof metadata.event_payload !== 'object') return undefined;
  return metadata.event_payload as Record<string, unknown>;
}

/** As a JSON string: Slack's typed payload values are scalars or objects, and ids may hold any character. */
function encodePaperIds(ids: string[]): string {
  return JSON.stringify(ids);
}

function decodePaperIds(value: unknown): string[] {
  if (typeof value !== 'string') return [];
  try {
    const ids: unknown = JSON.parse(value);
    return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string') : [];
  } catch {
    return [];
  }
}
