import type Database from 'better-sqlite3';
import type { Clue, Vote } from '../../recommend/index.js';
import type { DigestStore } from '../../digest/digest-store.js';
import { CLUES_KEPT, clueSubject, splitNet, toClue, type FeedbackStore } from '../feedback-store.js';

type NetRow = { paper_id: string; net: number };

export function sqliteFeedbackStore(db: Database.Database, now: () => Date): FeedbackStore & Pick<DigestStore, 'channelVotes'> {
  const statements = {
    remove: db.prepare('DELETE FROM feedback WHERE team_id = ? AND channel_id = ? AND user_id = ? AND paper_id = ?'),
    tally: db.prepare<[string, string, string, string], { up: number | null; down: number | null; mine: number | null }>(
      `SELECT sum(value = 1) AS up, sum(value = -1) AS down, sum(CASE WHEN user_id = ? THEN value END) AS mine
       FROM feedback WHERE team_id = ? AND channel_id = ? AND paper_id = ?`,
    ),
    net: db.prepare<[string, string], NetRow>(
      `SELECT paper_id, sum(value) AS net FROM feedback WHERE team_id = ? AND channel_id = ?
       GROUP BY paper_id HAVING sum(value) <> 0 ORDER BY paper_id`,
    ),
    netSinceReset: db.prepare<[string, string, string, string], NetRow>(
      `SELECT paper_id, sum(value) AS net FROM feedback
       WHERE team_id = ? AND channel_id = ? AND id > coalesce((SELECT votes_after FROM learning_resets WHERE team_id = ? AND channel_id = ?), 0)
       GROUP BY paper_id HAVING sum(value) <> 0 ORDER BY min(id)`,
    ),
    clues: db.prepare<[string, string, string, string, number], { kind: string; subject: string }>(
      `SELECT kind, subject FROM clues
       WHERE team_id = ? AND channel_id = ? AND id > coalesce((SELECT clues_after FROM learning_resets WHERE team_id = ? AND channel_id = ?), 0)
       ORDER BY id DESC LIMIT ?`,
    ),
    recordClue: db.prepare('INSERT INTO clues (team_id, channel_id, user_id, kind, subject, created_at) VALUES (?, ?, ?, ?, ?, ?)'),
    reset: db.prepare(
      `INSERT INTO learning_resets (team_id, channel_id, votes_after, clues_after, reset_by, reset_at)
       VALUES (?, ?, (SELECT coalesce(max(id), 0) FROM feedback), (SELECT coalesce(max(id), 0) FROM clues), ?, ?)
       ON CONFLICT (team_id, channel_id) DO UPDATE SET votes_after = excluded.votes_after, clues_after = excluded.clues_after,
         reset_by = excluded.reset_by, reset_at = excluded.reset_at`,
    ),
    lastReset: db.prepare<[string, string], { reset_by: string | null; reset_at: string | null }>(
      'SELECT reset_by, reset_at FROM learning_resets WHERE team_id = ? AND channel_id = ?',
    ),
    library: db.prepare<[string | null, string | null, string, number], { paper_id: string }>(
      `SELECT paper_id FROM feedback WHERE (? IS NULL OR team_id = ?) AND channel_id = ?
       GROUP BY paper_id HAVING sum(value) > 0 ORDER BY max(CASE WHEN value = 1 THEN id END) DESC LIMIT ?`,
    ),
  };

  return {
    async removeFeedback({ teamId, channelId, userId, paperId }) {
      statements.remove.run(teamId, channelId, userId, paperId);
    },
    async voteTally({ teamId, channelId, userId, paperId }) {
      const row = statements.tally.get(userId, teamId, channelId, paperId);
      const mine = row?.mine ?? 0;
      return { up: row?.up ?? 0, down: row?.down ?? 0, mine: mine > 0 ? 1 : mine < 0 ? -1 : 0 };
    },
    async recordClue(teamId, channelId, userId, clue) {
      statements.recordClue.run(teamId, channelId, userId, clue.kind, clueSubject(clue), now().toISOString());
    },
    async resetLearning(teamId, channelId, userId) {
      statements.reset.run(teamId, channelId, userId ?? null, now().toISOString());
    },
    async lastLearningReset(teamId, channelId) {
      const row = statements.lastReset.get(teamId, channelId);
      if (!row) return undefined;
      return { ...(row.reset_by ? { userId: row.reset_by } : {}), ...(row.reset_at ? { at: new Date(row.reset_at) } : {}) };
    },
    async channelLibrary(teamId, channelId, limit) {
      return statements.library.all(teamId ?? null, teamId ?? null, channelId, limit).map((row) => row.paper_id);
    },
    async channelVotes(teamId, channelId) {
      const read = db.transaction(() => ({
        all: statements.net.all(teamId, channelId),
        recent: statements.netSinceReset.all(teamId, channelId, teamId, channelId),
        clues: statements.clues.all(teamId, channelId, teamId, channelId, CLUES_KEPT),
      }));
      const { all, recent, clues } = read();
      const votes: Vote[] = recent.map((row) => ({ paperId: row.paper_id, value: row.net > 0 ? 1 : -1 }));
      return {
        ...splitNet(all),
        signals: {
          votes,
          clues: clues.flatMap((row): Clue[] => {
            const clue = toClue(row.kind, row.subject);
            return clue ? [clue] : [];
          }),
        },
      };
    },
  };
}
