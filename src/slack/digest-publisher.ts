import type { webApi } from '@slack/bolt';
import type { Logger } from '../lib/logger.js';
import type { Digest, DigestPublisher } from '../digest/deliver.js';
import type { DigestKey } from '../digest/digest-store.js';
import { renderDigest } from './blocks/digest.js';
import type { ClientFor } from './clients.js';
import { addDays } from '../lib/days.js';

export const DIGEST_EVENT_TYPE = 'paperboy_digest';
/** Enough history for a busy channel's two days; past it, a lost digest is posted again. */
const HISTORY_PAGE = 100;
const HISTORY_PAGES = 5;

export interface SlackDigestPublisherOptions {
  clientFor: ClientFor;
  logger: Logger;
  /**
   * Digests posted at once per workspace; default 8. A post that hangs holds its place until the
   * Web client's timeout, so the others go on through the rest.
   */
  postsPerWorkspace?: number;
}

/**
 * Posts digests with Slack message metadata naming their date and papers, and finds them again by
 * it after a crash. Rate limits are the Web client's business: it waits out each 429's Retry-After
 * and tries again, so a busy workspace is slowed down, never skipped. Slack limits a workspace as a
 * whole, so its digests go a few at a time: more in flight would only collect 429s, and each one
 * makes the client back off for longer (bench/digest.ts: 100 at once took 42 s and 1,788 429s, 8 at once 23 s and 416).
 */
export function createSlackDigestPublisher({ clientFor, logger, postsPerWorkspace = 8 }: SlackDigestPublisherOptions): DigestPublisher {
  const botIds = new Map<string, Promise<string | undefined>>();
  const inWorkspace = lanes(postsPerWorkspace);

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
      const client = await clientFor(teamId);
      const message = renderDigest(digest);
      const posted = await inWorkspace(teamId, () => client.chat.postMessage({
        channel: channelId,
        text: message.text,
        blocks: message.blocks,
        unfurl_links: false,
        unfurl_media: false,
        metadata: {
          event_type: DIGEST_EVENT_TYPE,
          event_payload: {
            date: digest.date,
            trending_date: digest.trendingDate,
            paper_ids: encodePaperIds(digest.picks.map((pick) => pick.paper.id)),
          },
        },
      }));
      if (!posted.ts) throw new Error(`chat.postMessage to ${channelId} returned no ts`);
      return posted.ts;
    },

    async findPublished(key: DigestKey): Promise<{ ts: string; paperIds: string[] } | undefined> {
      const client = await clientFor(key.teamId);
      const botId = await botIdOf(key.teamId, client);
      // The digest for a local date is posted that day in its zone: at the earliest (UTC+14) the
      // UTC day before.
      const oldest = String(Date.parse(`${addDays(key.date, -1)}T00:00:00Z`) / 1000);
      let cursor: string | undefined;
      for (let page = 0; page < HISTORY_PAGES; page++) {
        const history = await client.conversations.history({
          channel: key.channelId,
          oldest,
          limit: HISTORY_PAGE,
          include_all_metadata: true,
          ...(cursor ? { cursor } : {}),
        });
        for (const message of history.messages ?? []) {
          const payload = digestPayload(message.metadata);
          if (message.ts && message.bot_id === botId && payload?.date === key.date) return { ts: message.ts, paperIds: decodePaperIds(payload.paper_ids) };
        }
        cursor = history.response_metadata?.next_cursor;
        if (!history.has_more || !cursor) return undefined;
      }
      logger.warn('digest search gave up: too many messages', { channel: key.channelId, date: key.date, pages: HISTORY_PAGES });
      return undefined;
    },
  };
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
