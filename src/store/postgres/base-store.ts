import type pg from 'pg';
import type { Turn } from '../../answer/types.js';
import { EVENT_CLAIM_TTL_MS, type FeedbackRecord, type Store, type ThreadContext, type ThreadKey } from '../store.js';

const PRUNE_EVERY_MS = 60 * 60 * 1000;

interface ThreadRow {
  kind: ThreadContext['kind'];
  query: string | null;
  paper_ids: string[];
  created_at: Date;
}

/** The Store contract (cache, threads, feedback, searches, event claims) on Postgres; close is the caller's. */
export function postgresBaseStore(pool: pg.Pool, now: () => Date): Omit<Store, 'close'> {
  let lastPrune = 0;

  /** Claims are expiry-aware on their own; pruning only keeps the table small. */
  async function pruneEventsHourly(): Promise<void> {
    const time = now().getTime();
    if (time - lastPrune < PRUNE_EVERY_MS) return;
    lastPrune = time;
    await pool.query('DELETE FROM claimed_events WHERE claimed_at < $1', [new Date(time - EVENT_CLAIM_TTL_MS)]);
  }

  return {
    async get(key) {
      const { rows } = await pool.query<{ value: string }>('SELECT value FROM cache WHERE key = $1', [key]);
      return rows[0]?.value;
    },

    async set(key, value) {
      await pool.query(
        `INSERT INTO cache (key, value, updated_at) VALUES ($1, $2, $3)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
        [key, value, now()],
      );
    },

    async saveThread({ teamId, channelId, threadTs, kind, query, paperIds }) {
      await pool.query(
        `INSERT INTO threads (team_id, channel_id, thread_ts, kind, query, paper_ids, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (team_id, channel_id, thread_ts)
         DO UPDATE SET kind = excluded.kind, query = excluded.query, paper_ids = excluded.paper_ids`,
        [teamId, channelId, threadTs, kind, query ?? null, paperIds, now()],
      );
    },

    async getThread(key: ThreadKey) {
      const { rows } = await pool.query<ThreadRow>(
        `SELECT kind, query, paper_ids, created_at FROM threads
         WHERE team_id = $1 AND channel_id = $2 AND thread_ts = $3`,
        [key.teamId, key.channelId, key.threadTs],
      );
      const row = rows[0];
      if (!row) return undefined;
      return {
        teamId: key.teamId,
        channelId: key.channelId,
        threadTs: key.threadTs,
        kind: row.kind,
        ...(row.query === null ? {} : { query: row.query }),
        paperIds: row.paper_ids,
        createdAt: row.created_at.toISOString(),
      };
    },

    async appendTurn(key, turn) {
      await pool.query(
        `INSERT INTO turns (team_id, channel_id, thread_ts, role, text, created_at)
         VALUES ($1, $2, $3, $4, $5, $6)`,
        [key.teamId, key.channelId, key.threadTs, turn.role, turn.text, now()],
      );
    },

    async getTurns(key) {
      const { rows } = await pool.query<Turn>(
        `SELECT role, text FROM turns
         WHERE team_id = $1 AND channel_id = $2 AND thread_ts = $3 ORDER BY id`,
        [key.teamId, key.channelId, key.threadTs],
      );
      return rows;
    },

    async recordFeedback({ teamId, channelId, userId, paperId, value }: FeedbackRecord) {
      // A new vote also takes a new id: "most recent first" orders by id.
      await pool.query(
        `INSERT INTO feedback (team_id, channel_id, user_id, paper_id, value, created_at)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (team_id, channel_id, user_id, paper_id)
         DO UPDATE SET id = excluded.id, value = excluded.value, created_at = excluded.created_at`,
        [teamId, channelId, userId, paperId, value, now()],
      );
    },

    async likedPapers(teamId, userId, limit) {
      const { rows } = await pool.query<{ paper_id: string }>(
        `SELECT paper_id FROM feedback WHERE team_id = $1 AND user_id = $2 AND value = 1
         GROUP BY paper_id ORDER BY max(id) DESC LIMIT $3`,
        [teamId, userId, limit],
      );
      return rows.map((row) => row.paper_id);
    },

    async recordSearch(teamId, userId, query) {
      await pool.query('INSERT INTO searches (team_id, user_id, query, created_at) VALUES ($1, $2, $3, $4)', [
        teamId,
        userId,
        query,
        now(),
      ]);
    },

    async recentSearches(teamId, userId, limit) {
      const { rows } = await pool.query<{ query: string }>(
        `SELECT query FROM searches WHERE team_id = $1 AND user_id = $2
         GROUP BY query ORDER BY max(id) DESC LIMIT $3`,
        [teamId, userId, limit],
      );
      return rows.map((row) => row.query);
    },

    async claimEvent(eventId) {
      await pruneEventsHourly();
      const time = now();
      const claim = await pool.query(
        `INSERT INTO claimed_events (event_id, claimed_at) VALUES ($1, $2)
         ON CONFLICT (event_id) DO UPDATE SET claimed_at = excluded.claimed_at
         WHERE claimed_events.claimed_at < $3`,
        [eventId, time, new Date(time.getTime() - EVENT_CLAIM_TTL_MS)],
      );
      return claim.rowCount === 1;
    },
  };
}
