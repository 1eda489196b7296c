import type pg from 'pg';
import type { Subscription } from '../../digest/subscription.js';
import type { DigestKey, DigestStore } from '../../digest/digest-store.js';
import { inTransaction } from './db.js';

const SUBSCRIPTION_COLUMNS = `team_id AS "teamId", channel_id AS "channelId", time, time_zone AS "timeZone",
  days, topics, created_by AS "createdBy"`;

// A new claim, or the takeover of a claim whose lease ran out without a post. Under concurrency
// Postgres re-checks the WHERE against the row as it is once the competing claims committed.
const CLAIM_DIGEST = `
  INSERT INTO digests (team_id, channel_id, date, owner, status, lease_until, attempts)
  VALUES ($1, $2, $3, $4, 'claimed', $5, 1)
  ON CONFLICT (team_id, channel_id, date) DO UPDATE
    SET owner = excluded.owner, lease_until = excluded.lease_until, attempts = digests.attempts + 1
    WHERE digests.status = 'claimed' AND digests.lease_until < $6
  RETURNING attempts`;

const KEY_MATCHES = 'team_id = $1 AND channel_id = $2 AND date = $3';

export function postgresDigestStore(pool: pg.Pool, now: () => Date): Omit<DigestStore, 'channelVotes'> {
  return {
    async saveSubscription({ teamId, channelId, time, timeZone, days, topics, createdBy }) {
      await pool.query(
        `INSERT INTO subscriptions (team_id, channel_id, time, time_zone, days, topics, created_by, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (team_id, channel_id) DO UPDATE SET time = excluded.time, time_zone = excluded.time_zone,
           days = excluded.days, topics = excluded.topics, created_by = excluded.created_by,
           updated_at = excluded.updated_at`,
        [teamId, channelId, time, timeZone, days, topics, createdBy, now()],
      );
    },

    async removeSubscription(teamId, channelId) {
      const removed = await pool.query('DELETE FROM subscriptions WHERE team_id = $1 AND channel_id = $2', [
        teamId, channelId,
      ]);
      return removed.rowCount === 1;
    },

    async getSubscription(teamId, channelId) {
      const { rows } = await pool.query<Subscription>(
        `SELECT ${SUBSCRIPTION_COLUMNS} FROM subscriptions WHERE team_id = $1 AND channel_id = $2`,
        [teamId, channelId],
      );
      return rows[0];
    },

    async listSubscriptions(teamId) {
      const { rows } = await pool.query<Subscription>(
        `SELECT ${SUBSCRIPTION_COLUMNS} FROM subscriptions
         WHERE $1::text IS NULL OR team_id = $1 ORDER BY team_id, channel_id`,
        [teamId ?? null],
      );
      return rows;
    },

    async claimDigest(key, owner, leaseMs) {
      const time = now();
      const leaseUntil = new Date(time.getTime() + leaseMs);
      const claim = await pool.query<{ attempts: number }>(CLAIM_DIGEST, [...keyParams(key), owner, leaseUntil, time]);
      const attempts = claim.rows[0]?.attempts;
      if (attempts !== undefined) return { claimed: true, recovering: attempts > 1 };
      return { claimed: false, reason: await unclaimableReason(pool, key) };
    },

    async markDigestPosted(key, owner, ts, paperIds) {
      return inTransaction(pool, async (client) => {
        const posted = await client.query(
          `UPDATE digests SET status = 'posted', ts = $5 WHERE ${KEY_MATCHES} AND owner = $4 AND status = 'claimed'`,
          [...keyParams(key), owner, ts],
        );
        if (posted.rowCount !== 1) return false;
        await client.query(
          `INSERT INTO posted_papers (team_id, channel_id, date, paper_id)
           SELECT $1, $2, $3::date, paper_id FROM unnest($4::text[]) AS paper_id
           ON CONFLICT DO NOTHING`,
          [...keyParams(key), paperIds],
        );
        return true;
      });
    },

    async releaseDigest(key, owner) {
      // The claim is dropped: the next claimant starts afresh, with nothing to recover.
      await pool.query(`DELETE FROM digests WHERE ${KEY_MATCHES} AND owner = $4 AND status = 'claimed'`, [
        ...keyParams(key), owner,
      ]);
    },

    async postedPaperIds(teamId, channelId, sinceDate) {
      const { rows } = await pool.query<{ paper_id: string }>(
        'SELECT DISTINCT paper_id FROM posted_papers WHERE team_id = $1 AND channel_id = $2 AND date >= $3',
        [teamId, channelId, sinceDate],
      );
      return new Set(rows.map((row) => row.paper_id));
    },

  };
}

function keyParams({ teamId, channelId, date }: DigestKey): [string, string, string] {
  return [teamId, channelId, date];
}

/** Why a claim was refused. A row released in the meantime reads as held: the next tick claims it. */
async function unclaimableReason(pool: pg.Pool, key: DigestKey): Promise<'posted' | 'held'> {
  const { rows } = await pool.query<{ status: string }>(`SELECT status FROM digests WHERE ${KEY_MATCHES}`, keyParams(key));
  return rows[0]?.status === 'posted' ? 'posted' : 'held';
}
