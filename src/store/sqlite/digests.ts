import type Database from 'better-sqlite3';
import type { Subscription } from '../../digest/subscription.js';
import type { DigestClaim, DigestKey, DigestStore, DueKey } from '../../digest/digest-store.js';
import { subscriptionFromRow } from '../../digest/subscription.js';

const SUBSCRIPTION_COLUMNS = `team_id AS teamId, channel_id AS channelId, kind, time, time_zone AS timeZone,
  days, topics, categories, created_by AS createdBy, paused`;
const KEY_MATCHES = 'team_id = ? AND channel_id = ? AND kind = ? AND date = ?';

export function sqliteDigestStore(db: Database.Database, now: () => Date): Omit<DigestStore, 'channelVotes'> {
  const statements = {
    saveSubscription: db.prepare(
      `INSERT INTO subscriptions (team_id, channel_id, kind, time, time_zone, days, topics, categories, created_by, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (team_id, channel_id, kind) DO UPDATE SET time = excluded.time, time_zone = excluded.time_zone,
         days = excluded.days, topics = excluded.topics, categories = excluded.categories, created_by = excluded.created_by,
         updated_at = excluded.updated_at, paused = NULL`,
    ),
    removeSubscription: db.prepare('DELETE FROM subscriptions WHERE team_id = ? AND channel_id = ? AND kind = ?'),
    zones: db.prepare<[], { zone: string }>('SELECT DISTINCT time_zone AS zone FROM subscriptions'),
    due: db.prepare<[string, string], DueKey>(
      `WITH w AS (
         SELECT value ->> '$.timeZone' AS zone, value ->> '$.from' AS lo, value ->> '$.to' AS hi,
           value ->> '$.date' AS date, value ->> '$.weekend' AS weekend
         FROM json_each(?)
       )
       SELECT s.team_id AS teamId, s.channel_id AS channelId, s.kind, w.date
       FROM w JOIN subscriptions s ON s.time_zone = w.zone AND s.time BETWEEN w.lo AND w.hi
       LEFT JOIN digests d ON d.team_id = s.team_id AND d.channel_id = s.channel_id AND d.kind = s.kind AND d.date = w.date
       WHERE s.paused IS NULL AND (s.days = 'daily' OR w.weekend = 0)
         AND (d.status IS NULL OR (d.status = 'claimed' AND d.lease_until <= ?))`,
    ),
    subscriptionsOf: db.prepare<[string], SubscriptionRow>(
      `SELECT ${SUBSCRIPTION_COLUMNS} FROM subscriptions
       WHERE (team_id, channel_id, kind) IN
         (SELECT value ->> '$.teamId', value ->> '$.channelId', value ->> '$.kind' FROM json_each(?))`,
    ),
    pause: db.prepare('UPDATE subscriptions SET paused = ? WHERE team_id = ? AND channel_id = ? AND kind = ?'),
    getSubscription: db.prepare<[string, string, string], SubscriptionRow>(
      `SELECT ${SUBSCRIPTION_COLUMNS} FROM subscriptions WHERE team_id = ? AND channel_id = ? AND kind = ?`,
    ),
    listSubscriptions: db.prepare<[string | null, string | null], SubscriptionRow>(
      `SELECT ${SUBSCRIPTION_COLUMNS} FROM subscriptions WHERE ? IS NULL OR team_id = ? ORDER BY team_id, channel_id, kind DESC`,
    ),
    // A new claim, or the takeover of a claim whose lease ran out without a post; SQLite runs one
    // writer at a time, so the statement is atomic across processes sharing the file.
    claim: db.prepare<[string, string, string, string, string, string, string, string], ClaimRow>(
      `INSERT INTO digests (team_id, channel_id, kind, date, owner, status, lease_until, attempts, first_claimed_at)
       VALUES (?, ?, ?, ?, ?, 'claimed', ?, 1, ?)
       ON CONFLICT (team_id, channel_id, kind, date) DO UPDATE
         SET owner = excluded.owner, lease_until = excluded.lease_until, attempts = digests.attempts + 1
         WHERE digests.status = 'claimed' AND digests.lease_until <= ?
       RETURNING attempts, maybe_posted AS maybePosted, first_claimed_at AS since`,
    ),
    renew: db.prepare(`UPDATE digests SET lease_until = ? WHERE ${KEY_MATCHES} AND owner = ? AND attempts = ? AND status = 'claimed'`),
    sending: db.prepare(
      `UPDATE digests SET lease_until = ?, maybe_posted = 1 WHERE ${KEY_MATCHES} AND owner = ? AND attempts = ? AND status = 'claimed'`,
    ),
    status: db.prepare<[string, string, string, string], { status: string }>(`SELECT status FROM digests WHERE ${KEY_MATCHES}`),
    markPosted: db.prepare(
      `UPDATE digests SET status = 'posted', ts = ?, through_day = ? WHERE ${KEY_MATCHES} AND owner = ? AND status = 'claimed'`,
    ),
    postPaper: db.prepare('INSERT INTO posted_papers (team_id, channel_id, date, paper_id) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING'),
    release: db.prepare(`DELETE FROM digests WHERE ${KEY_MATCHES} AND owner = ? AND status = 'claimed' AND maybe_posted = 0`),
    // A claim that may have been posted is never forgotten: its lease ends now, and the next
    // claimant looks in the channel before posting.
    expire: db.prepare(`UPDATE digests SET lease_until = ? WHERE ${KEY_MATCHES} AND owner = ? AND status = 'claimed' AND maybe_posted = 1`),
    lastDay: db.prepare<[string, string, string], { day: string | null }>(
      `SELECT max(through_day) AS day FROM digests WHERE team_id = ? AND channel_id = ? AND kind = ? AND status = 'posted'`,
    ),
    postedPaperIds: db.prepare<[string, string, string], { paper_id: string }>(
      'SELECT DISTINCT paper_id FROM posted_papers WHERE team_id = ? AND channel_id = ? AND date >= ?',
    ),
  };
  const markPosted = db.transaction((key: DigestKey, owner: string, ts: string, paperIds: string[], throughDay: string | null): boolean => {
    if (statements.markPosted.run(ts, throughDay, ...keyParams(key), owner).changes !== 1) return false;
    for (const paperId of paperIds) statements.postPaper.run(key.teamId, key.channelId, key.date, paperId);
    return true;
  });

  return {
    async saveSubscription({ teamId, channelId, kind, time, timeZone, days, topics, categories, createdBy }) {
      statements.saveSubscription.run(
        teamId,
        channelId,
        kind ?? 'trending',
        time,
        timeZone,
        days,
        topics,
        (categories ?? []).join(' '),
        createdBy,
        now().toISOString(),
      );
    },
    async removeSubscription(teamId, channelId, kind = 'trending') {
      return statements.removeSubscription.run(teamId, channelId, kind).changes === 1;
    },
    async getSubscription(teamId, channelId, kind = 'trending') {
      const row = statements.getSubscription.get(teamId, channelId, kind);
      return row && toSubscription(row);
    },
    async listSubscriptions(teamId) {
      return statements.listSubscriptions.all(teamId ?? null, teamId ?? null).map(toSubscription);
    },
    async subscriptionZones() {
      return statements.zones.all().map((row) => row.zone);
    },
    async subscriptionsDue(windows, time) {
      return statements.due.all(JSON.stringify(windows), time.toISOString());
    },
    async subscriptionsOf(channels) {
      return channels.length
        ? statements.subscriptionsOf
            .all(JSON.stringify(channels.map(({ teamId, channelId, kind }) => ({ teamId, channelId, kind: kind ?? 'trending' }))))
            .map(toSubscription)
        : [];
    },
    async pauseSubscription(teamId, channelId, reason, kind = 'trending') {
      statements.pause.run(reason, teamId, channelId, kind);
    },
    async claimDigest(key, owner, leaseMs) {
      const time = now();
      const claimed = statements.claim.get(...keyParams(key), owner, leaseEnd(time, leaseMs), time.toISOString(), time.toISOString());
      if (claimed) return toClaim(claimed, time);
      return { claimed: false, reason: statements.status.get(...keyParams(key))?.status === 'posted' ? 'posted' : 'held' };
    },
    async renewDigest(key, owner, fence, leaseMs) {
      return statements.renew.run(leaseEnd(now(), leaseMs), ...keyParams(key), owner, fence).changes === 1;
    },
    async markDigestSending(key, owner, fence, leaseMs) {
      return statements.sending.run(leaseEnd(now(), leaseMs), ...keyParams(key), owner, fence).changes === 1;
    },
    async markDigestPosted(key, owner, ts, paperIds, throughDay) {
      return markPosted(key, owner, ts, paperIds, throughDay ?? null);
    },
    async releaseDigest(key, owner) {
      if (statements.release.run(...keyParams(key), owner).changes === 0)
        statements.expire.run(now().toISOString(), ...keyParams(key), owner);
    },
    async lastDigestDay(teamId, channelId, kind = 'trending') {
      return statements.lastDay.get(teamId, channelId, kind)?.day ?? undefined;
    },
    async postedPaperIds(teamId, channelId, sinceDate) {
      return new Set(statements.postedPaperIds.all(teamId, channelId, sinceDate).map((row) => row.paper_id));
    },
  };
}

type SubscriptionRow = Omit<Subscription, 'paused' | 'categories'> & { paused: string | null; categories: string };
interface ClaimRow {
  attempts: number;
  maybePosted: number;
  since: string | null;
}

function toSubscription(row: SubscriptionRow): Subscription {
  return subscriptionFromRow(row);
}

function toClaim(row: ClaimRow, time: Date): DigestClaim {
  return { claimed: true, recovering: row.maybePosted === 1, fence: row.attempts, since: row.since ? new Date(row.since) : time };
}

function leaseEnd(time: Date, leaseMs: number): string {
  return new Date(time.getTime() + leaseMs).toISOString();
}

function keyParams({ teamId, channelId, kind, date }: DigestKey): [string, string, string, string] {
  return [teamId, channelId, kind ?? 'trending', date];
}
