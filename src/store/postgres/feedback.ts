import type pg from 'pg';
import type { Clue, Vote } from '../../recommend/index.js';
import type { DigestStore } from '../../digest/digest-store.js';
import { CLUES_KEPT, clueSubject, splitNet, toClue, type FeedbackStore } from '../feedback-store.js';

type NetRow = { paper_id: string; net: number };

export function postgresFeedbackStore(pool: pg.Pool, now: () => Date): FeedbackStore & Pick<DigestStore, 'channelVotes'> {
  return {
    async removeFeedback({ teamId, channelId, userId, paperId }) {
      await pool.query('DELETE FROM feedback WHERE team_id = $1 AND channel_id = $2 AND user_id = $3 AND paper_id = $4', [
        teamId,
        channelId,
        userId,
        paperId,
      ]);
    },

    async voteTally({ teamId, channelId, userId, paperId }) {
      const { rows } = await pool.query<{ up: number; down: number; mine: number | null }>(
        `SELECT count(*) FILTER (WHERE value = 1)::integer AS up, count(*) FILTER (WHERE value = -1)::integer AS down,
           max(value) FILTER (WHERE user_id = $4)::integer AS mine
         FROM feedback WHERE team_id = $1 AND channel_id = $2 AND paper_id = $3`,
        [teamId, channelId, paperId, userId],
      );
      const row = rows[0];
      const mine = row?.mine ?? 0;
      return { up: row?.up ?? 0, down: row?.down ?? 0, mine: mine > 0 ? 1 : mine < 0 ? -1 : 0 };
    },

    async recordClue(teamId, channelId, userId, clue) {
      await pool.query('INSERT INTO clues (team_id, channel_id, user_id, kind, subject, created_at) VALUES ($1, $2, $3, $4, $5, $6)', [
        teamId,
        channelId,
        userId,
        clue.kind,
        clueSubject(clue),
        now(),
      ]);
    },

    async resetLearning(teamId, channelId, userId) {
      await pool.query(
        `INSERT INTO learning_resets (team_id, channel_id, votes_after, clues_after, reset_by, reset_at)
         VALUES ($1, $2, (SELECT coalesce(max(id), 0) FROM feedback), (SELECT coalesce(max(id), 0) FROM clues), $3, $4)
         ON CONFLICT (team_id, channel_id) DO UPDATE SET votes_after = excluded.votes_after, clues_after = excluded.clues_after,
           reset_by = excluded.reset_by, reset_at = excluded.reset_at`,
        [teamId, channelId, userId ?? null, now()],
      );
    },

    async lastLearningReset(teamId, channelId) {
      const { rows } = await pool.query<{ reset_by: string | null; reset_at: Date | null }>(
        'SELECT reset_by, reset_at FROM learning_resets WHERE team_id = $1 AND channel_id = $2',
        [teamId, channelId],
      );
      const row = rows[0];
      if (!row) return undefined;
      return { ...(row.reset_by ? { userId: row.reset_by } : {}), ...(row.reset_at ? { at: row.reset_at } : {}) };
    },

    async channelLibrary(teamId, channelId, limit) {
      const { rows } = await pool.query<{ paper_id: string }>(
        `SELECT paper_id FROM feedback WHERE ($1::text IS NULL OR team_id = $1) AND channel_id = $2
         GROUP BY paper_id HAVING sum(value) > 0 ORDER BY max(id) FILTER (WHERE value = 1) DESC LIMIT $3`,
        [teamId ?? null, channelId, limit],
      );
      return rows.map((row) => row.paper_id);
    },

    async channelVotes(teamId, channelId) {
      const reset = `(SELECT %s FROM learning_resets WHERE team_id = $1 AND channel_id = $2)`;
      const [all, recent, clues] = await Promise.all([
        pool.query<NetRow>(
          `SELECT paper_id, sum(value)::integer AS net FROM feedback WHERE team_id = $1 AND channel_id = $2
           GROUP BY paper_id HAVING sum(value) <> 0 ORDER BY paper_id`,
          [teamId, channelId],
        ),
        pool.query<NetRow>(
          `SELECT paper_id, sum(value)::integer AS net FROM feedback
           WHERE team_id = $1 AND channel_id = $2 AND id > coalesce(${reset.replace('%s', 'votes_after')}, 0)
           GROUP BY paper_id HAVING sum(value) <> 0 ORDER BY min(id)`,
          [teamId, channelId],
        ),
        pool.query<{ kind: string; subject: string }>(
          `SELECT kind, subject FROM clues
           WHERE team_id = $1 AND channel_id = $2 AND id > coalesce(${reset.replace('%s', 'clues_after')}, 0)
           ORDER BY id DESC LIMIT $3`,
          [teamId, channelId, CLUES_KEPT],
        ),
      ]);
      const votes: Vote[] = recent.rows.map((row) => ({ paperId: row.paper_id, value: row.net > 0 ? 1 : -1 }));
      const signals = {
        votes,
        clues: clues.rows.flatMap((row): Clue[] => {
          const clue = toClue(row.kind, row.subject);
          return clue ? [clue] : [];
        }),
      };
      return { ...splitNet(all.rows), signals };
    },
  };
}
