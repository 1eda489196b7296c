import type pg from 'pg';
import type { Subscription } from '../../digest/subscription.js';
import type { DigestKey, DigestStore, DueKey } from '../../digest/digest-store.js';
import { subscriptionFromRow } from '../../digest/subscription.js';
import { inTransaction } from './db.js';

const SUBSCRIPTION_COLUMNS = `team_id AS "teamId", channel_id AS "channelId", kind, time, time_zone AS "timeZone",
  days, topics, categories, created_by AS "createdBy", paused`;

// A new claim, or the takeover of a claim whose lease ran out without a post. Under concurrency
// Postgres re-checks the WHERE against the row as it is once the competing claims committed.
const CLAIM_DIGEST = `
  INSERT INTO digests (team_id, channel_id, kind, date, owner, status, lease_until, attempts, first_claimed_at)
  VALUES ($1, $2, $7, $3, $4, 'claimed', $5, 1, $6)
  ON CONFLICT (team_id, channel_id, kind, date) DO UPDATE
    SET owner = excluded.owner, lease_until = excluded.lease_until, attempts = digests.attempts + 1
    WHERE digests.status = 'claimed' AND digests.lease_until <= $6
  RETURNING attempts, maybe_posted AS "maybePosted", first_claimed_at AS since`;

/** Our claim, named by its owner and fence: a process whose lease was taken over matches nothing. */
const OURS = `team_id = $1 AND channel_id = $2 AND date = $3 AND kind = $KIND AND owner = $4 AND attempts = $5 AND status = 'claimed'`;

const KEY_MATCHES = 'team_id = $1 AND channel_id = $2 AND date = $3 AND kind = $KIND';

export function postgresDigestStore(pool: pg.Pool, now: () => Date): Omit<DigestStore, 'channelVotes'> {
  return {
    async saveSubscription({ teamId, channelId, kind, time, timeZone, days, topics, categories, createdBy }) {
      await pool.query(
        `INSERT INTO subscriptions (team_id, channel_id, time, time_zone, days, topics, created_by, updated_at, kind, categories)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
         ON CONFLICT (team_id, channel_id, kind) DO UPDATE SET time = excluded.time, time_zone = excluded.time_zone,
           days = excluded.days, topics = excluded.topics, categories = excluded.categories, created_by = excluded.created_by,
           updated_at = excluded.updated_at, paused = NULL`,
        [teamId, channelId, time, timeZone, days, topics, createdBy, now(), kind ?? 'trending', (categories ?? []).join(' ')],
      );
    },

    async removeSubscription(teamId, channelId, kind = 'trending') {
      const removed = await pool.query('DELETE FROM subscriptions WHERE team_id = $1 AND channel_id = $2 AND kind = $3', [
        teamId,
        channelId,
        kind,
      ]);
      return removed.rowCount === 1;
    },

    async getSubscription(teamId, channelId, kind = 'trending') {
      const { rows } = await pool.query<SubscriptionRow>(
        `SELECT ${SUBSCRIPTION_COLUMNS} FROM subscriptions WHERE team_id = $1 AND channel_id = $2 AND kind = $3`,
        [teamId, channelId, kind],
      );
      return rows[0] && toSubscription(rows[0]);
    },

    async listSubscriptions(teamId) {
      const { rows } = await pool.query<SubscriptionRow>(
        `SELECT ${SUBSCRIPTION_COLUMNS} FROM subscriptions
         WHERE $1::text IS NULL OR team_id = $1 ORDER BY team_id, channel_id, kind DESC`,
        [teamId ?? null],
      );
      return rows.map(toSubscription);
    },

    async subscriptionZones() {
      const { rows } = await pool.query<{ zone: string }>('SELECT DISTINCT time_zone AS zone FROM subscriptions');
      return rows.map((row) => row.zone);
    },

    async subscriptionsDue(windows, time) {
      const { rows } = await pool.query<DueKey>(
        `SELECT s.team_id AS "teamId", s.channel_id AS "channelId", s.kind, w.date::text AS date
         FROM jsonb_to_recordset($1::jsonb) AS w ("timeZone" text, "from" text, "to" text, date date, weekend boolean)
         JOIN subscriptions s ON s.time_zone = w."timeZone" AND s.time BETWEEN w."from" AND w."to"
         LEFT JOIN digests d ON d.team_id = s.team_id AND d.channel_id = s.channel_id AND d.kind = s.kind AND d.date = w.date
         WHERE s.paused IS NULL AND (s.days = 'daily' OR NOT w.weekend)
           AND (d.status IS NULL OR (d.status = 'claimed' AND d.lease_until <= $2))`,
        [JSON.stringify(windows), time],
      );
      return rows;
    },

    async subscriptionsOf(channels) {
      if (!channels.length) return [];
      const { rows } = await pool.query<SubscriptionRow>(
        `SELECT ${SUBSCRIPTION_COLUMNS} FROM subscriptions
         WHERE (team_id, channel_id, kind) IN (SELECT * FROM unnest($1::text[], $2::text[], $3::text[]))`,
        [channels.map((c) => c.teamId), channels.map((c) => c.channelId), channels.map((c) => c.kind ?? 'trending')],
      );
      return rows.map(toSubscription);
    },

    async pauseSubscription(teamId, channelId, reason, kind = 'trending') {
      await pool.query('UPDATE subscriptions SET paused = $3 WHERE team_id = $1 AND channel_id = $2 AND kind = $4', [
        teamId,
        channelId,
        reason,
        kind,
      ]);
    },

    async claimDigest(key, owner, leaseMs) {
      const time = now();
      const leaseUntil = new Date(time.getTime() + leaseMs);
      const claim = await pool.query<{ attempts: number; maybePosted: boolean; since: Date | null }>(CLAIM_DIGEST, [
        ...keyParams(key),
        owner,
        leaseUntil,
        time,
        key.kind ?? 'trending',
      ]);
      const row = claim.rows[0];
      if (row) return { claimed: true, recovering: row.maybePosted, fence: row.attempts, since: row.since ?? time };
      return { claimed: false, reason: await unclaimableReason(pool, key) };
    },

    async renewDigest(key, owner, fence, leaseMs) {
      const renewed = await pool.query(`UPDATE digests SET lease_until = $6 WHERE ${kindAt(OURS, 7)}`, [
        ...keyParams(key),
        owner,
        fence,
        new Date(now().getTime() + leaseMs),
        key.kind ?? 'trending',
      ]);
      return renewed.rowCount === 1;
    },

    async markDigestSending(key, owner, fence, leaseMs) {
      const marked = await pool.query(`UPDATE digests SET lease_until = $6, maybe_posted = true WHERE ${kindAt(OURS, 7)}`, [
        ...keyParams(key),
        owner,
        fence,
        new Date(now().getTime() + leaseMs),
        key.kind ?? 'trending',
      ]);
      return marked.rowCount === 1;
    },

    async markDigestPosted(key, owner, ts, paperIds, throughDay) {
      return inTransaction(pool, async (client) => {
        const posted = await client.query(
          `UPDATE digests SET status = 'posted', ts = $5, through_day = $6
           WHERE ${kindAt(KEY_MATCHES, 7)} AND owner = $4 AND status = 'claimed'`,
          [...keyParams(key), owner, ts, throughDay ?? null, key.kind ?? 'trending'],
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
      // Never sent: dropped, the next claimant starts afresh. Maybe posted: kept, its lease ended
      // now, so that the next claimant looks in the channel first.
      const dropped = await pool.query(
        `DELETE FROM digests WHERE ${kindAt(KEY_MATCHES, 5)} AND owner = $4 AND status = 'claimed' AND NOT maybe_posted`,
        [...keyParams(key), owner, key.kind ?? 'trending'],
      );
      if (dropped.rowCount) return;
      await pool.query(
        `UPDATE digests SET lease_until = $5 WHERE ${kindAt(KEY_MATCHES, 6)} AND owner = $4 AND status = 'claimed' AND maybe_posted`,
        [...keyParams(key), owner, now(), key.kind ?? 'trending'],
      );
    },

    async lastDigestDay(teamId, channelId, kind = 'trending') {
      const { rows } = await pool.query<{ day: string | null }>(
        `SELECT max(through_day)::text AS day FROM digests WHERE team_id = $1 AND channel_id = $2 AND kind = $3 AND status = 'posted'`,
        [teamId, channelId, kind],
      );
      return rows[0]?.day ?? undefined;
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

type SubscriptionRow = Omit<Subscription, 'paused' | 'categories'> & { paused: string | null; categories: string };

const toSubscription = (row: SubscriptionRow): Subscription => subscriptionFromRow(row);

/** The query with the digest kind's parameter at $n (the other parameters keep their places). */
function kindAt(sql: string, n: number): string {
  return sql.replace('$KIND', `$${n}`);
}

function keyParams({ teamId, channelId, date }: DigestKey): [string, string, string] {
  return [teamId, channelId, date];
}

/** Why a claim was refused. A row released in the meantime reads as held: the next tick claims it. */
async function unclaimableReason(pool: pg.Pool, key: DigestKey): Promise<'posted' | 'held'> {
  const { rows } = await pool.query<{ status: string }>(`SELECT status FROM digests WHERE ${kindAt(KEY_MATCHES, 4)}`, [
    ...keyParams(key),
    key.kind ?? 'trending',
  ]);
  return rows[0]?.status === 'posted' ? 'posted' : 'held';
}
