import type Database from 'better-sqlite3';
import type { Subscription } from '../../digest/subscription.js';
import type { DigestKey, DigestStore } from '../../digest/digest-store.js';

const SUBSCRIPTION_COLUMNS = `team_id AS teamId, channel_id AS channelId, time, time_zone AS timeZone,
  days, topics, created_by AS createdBy`;
const KEY_MATCHES = 'team_id = ? AND channel_id = ? AND date = ?';

export function sqliteDigestStore(db: Database.Database, now: () => Date): Omit<DigestStore, 'channelVotes'> {
  const statements = {
    saveSubscription: db.prepare(
      `INSERT INTO subscriptions (team_id, channel_id, time, time_zone, days, topics, created_by, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (team_id, channel_id) DO UPDATE SET time = excluded.time, time_zone = excluded.time_zone,
         days = excluded.days, topics = excluded.topics, created_by = excluded.created_by, updated_at = excluded.updated_at`,
    ),
    removeSubscription: db.prepare('DELETE FROM subscriptions WHERE team_id = ? AND channel_id = ?'),
    getSubscription: db.prepare<[string, string], Subscription>(
      `SELECT ${SUBSCRIPTION_COLUMNS} FROM subscriptions WHERE team_id = ? AND channel_id = ?`,
    ),
    listSubscriptions: db.prepare<[string | null, string | null], Subscription>(
      `SELECT ${SUBSCRIPTION_COLUMNS} FROM subscriptions WHERE ? IS NULL OR team_id = ? ORDER BY team_id, channel_id`,
    ),
    // A new claim, or the takeover of a claim whose lease ran out without a post; SQLite runs one
    // writer at a time, so the statement is atomic across processes sharing the file.
    claim: db.prepare<[string, string, string, string, string, string], { attempts: number }>(
      `INSERT INTO digests (team_id, channel_id, date, owner, status, lease_until, attempts)
       VALUES (?, ?, ?, ?, 'claimed', ?, 1)
       ON CONFLICT (team_id, channel_id, date) DO UPDATE
         SET owner = excluded.owner, lease_until = excluded.lease_until, attempts = digests.attempts + 1
         WHERE digests.status = 'claimed' AND digests.lease_until < ?
       RETURNING attempts`,
    ),
    status: db.prepare<[string, string, string], { status: string }>(`SELECT status FROM digests WHERE ${KEY_MATCHES}`),
    markPosted: db.prepare(`UPDATE digests SET status = 'posted', ts = ? WHERE ${KEY_MATCHES} AND owner = ? AND status = 'claimed'`),
    postPaper: db.prepare('INSERT INTO posted_papers (team_id, channel_id, date, paper_id) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING'),
    release: db.prepare(`DELETE FROM digests WHERE ${KEY_MATCHES} AND owner = ? AND status = 'claimed'`),
    postedPaperIds: db.prepare<[string, string, string], { paper_id: string }>(
      'SELECT DISTINCT paper_id FROM posted_papers WHERE team_id = ? AND channel_id = ? AND date >= ?',
    ),
  };
  const markPosted = db.transaction((key: DigestKey, owner: string, ts: string, paperIds: string[]): boolean => {
    if (statements.markPosted.run(ts, ...keyParams(key), owner).changes !== 1) return false;
    for (const paperId of paperIds) statements.postPaper.run(...keyParams(key), paperId);
    return true;
  });

  return {
    async saveSubscription({ teamId, channelId, time, timeZone, days, topics, createdBy }) {
      statements.saveSubscription.run(teamId, channelId, time, timeZone, days, topics, createdBy, now().toISOString());
    },
    async removeSubscription(teamId, channelId) {
      return statements.removeSubscription.run(teamId, channelId).changes === 1;
    },
    async getSubscription(teamId, channelId) {
      return statements.getSubscription.get(teamId, channelId);
    },
    async listSubscriptions(teamId) {
      return statements.listSubscriptions.all(teamId ?? null, teamId ?? null);
    },
    async claimDigest(key, owner, leaseMs) {
      const time = now();
      const leaseUntil = new Date(time.getTime() + leaseMs).toISOString();
      const claimed = statements.claim.get(...keyParams(key), owner, leaseUntil, time.toISOString());
      if (claimed) return { claimed: true, recovering: claimed.attempts > 1 };
      return { claimed: false, reason: statements.status.get(...keyParams(key))?.status === 'posted' ? 'posted' : 'held' };
    },
    async markDigestPosted(key, owner, ts, paperIds) {
      return markPosted(key, owner, ts, paperIds);
    },
    async releaseDigest(key, owner) {
      statements.release.run(...keyParams(key), owner);
    },
    async postedPaperIds(teamId, channelId, sinceDate) {
      return new Set(statements.postedPaperIds.all(teamId, channelId, sinceDate).map((row) => row.paper_id));
    },
  };
}

function keyParams({ teamId, channelId, date }: DigestKey): [string, string, string] {
  return [teamId, channelId, date];
}
