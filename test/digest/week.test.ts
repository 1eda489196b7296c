import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAnswerer } from '../../src/answer/index.js';
import { silentLogger } from '../../src/lib/logger.js';
import type { Digest, DigestDeps, DigestPublisher } from '../../src/digest/deliver.js';
import { runDueDigests } from '../../src/digest/scheduler.js';
import type { Subscription } from '../../src/digest/subscription.js';
import { addDays, utcDay } from '../../src/lib/days.js';
import { projectRoot } from '../../src/paths.js';
import { createRefresher, type Refresher } from '../../src/runtime/refresh.js';
import { buildIndex } from '../../src/search/index.js';
import type { DigestKey } from '../../src/digest/digest-store.js';
import { openSqliteStore, type SqliteStore } from '../../src/store/sqlite.js';
import { startHfServer, type HfServer } from '../support/hf-server.js';

/*
 * A week and a day of mornings in three zones, on real Daily Papers responses
 * (../shared/benchmarks/hf-daily: captured API bodies, PROVENANCE.md there). Each UTC day's list
 * fills up through the day, as on Hugging Face: the fake Hub serves a growing share of the day's
 * items until the day ends, then all of them; weekends answer [] as the Hub does for a day with no
 * papers. The bot's hourly refresh and the per-minute digest tick run on a simulated clock.
 * Every channel must get every closed day exactly once, each day's list in full.
 */

const DATA = join(projectRoot, '..', 'shared', 'benchmarks', 'hf-daily', 'days.jsonl.gz');
/** A Monday; the simulation runs to the Tuesday of the week after, weekend included. */
const START = '2025-04-07';
const END = '2025-04-15';
const STEP_MS = 5 * 60_000;

const recorded = new Map<string, unknown[]>(
  gunzipSync(readFileSync(DATA))
    .toString('utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { date: string; items: unknown[] })
    .map(({ date, items }) => [date, items]),
);

const CHANNELS: Subscription[] = [
  { teamId: 'T1', channelId: 'C-paris', time: '09:00', timeZone: 'Europe/Paris', days: 'daily', topics: '', createdBy: 'U1' },
  { teamId: 'T1', channelId: 'C-tokyo', time: '08:00', timeZone: 'Asia/Tokyo', days: 'weekdays', topics: '', createdBy: 'U1' },
  { teamId: 'T1', channelId: 'C-la', time: '07:00', timeZone: 'America/Los_Angeles', days: 'daily', topics: '', createdBy: 'U1' },
];

interface Posted {
  channelId: string;
  at: Date;
  date: string;
  trendingDays: string[];
  paperIds: string[];
}

/** The channel: what was posted, and when (by the simulated clock). */
class Channel implements DigestPublisher {
  readonly posts: Posted[] = [];
  constructor(private readonly clock: () => Date) {}
  async publish(digest: Digest): Promise<string> {
    const { channelId } = digest.subscription;
    this.posts.push({
      channelId,
      at: this.clock(),
      date: digest.date,
      trendingDays: digest.trendingDays,
      paperIds: digest.picks.map((pick) => pick.paper.id),
    });
    return `${this.posts.length}.000100`;
  }
  async findPublished(key: DigestKey) {
    const post = this.posts.find((p) => p.channelId === key.channelId && p.date === key.date);
    return post && { ts: '1.1', paperIds: post.paperIds };
  }
}

const dir = mkdtempSync(join(tmpdir(), 'paperboy-week-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a week of digests in Paris, Tokyo (weekdays) and Los Angeles, on real Daily Papers', () => {
  let time: Date;
  let hf: HfServer;
  let store: SqliteStore;
  let refresher: Refresher;
  let channel: Channel;
  let deps: DigestDeps;

  beforeEach(async () => {
    time = new Date(`${START}T00:00:00Z`);
    hf = await startHfServer();
    store = openSqliteStore(join(dir, `${Math.random().toString(36).slice(2)}.db`), { now: () => time });
    for (const subscription of CHANNELS) await store.saveSubscription(subscription);
    const index = buildIndex([]);
    refresher = await createRefresher({
      store,
      index,
      hf: { endpoint: hf.url, attempts: 1, sleep: async () => undefined },
      logger: silentLogger,
      now: () => time,
    });
    channel = new Channel(() => time);
    deps = {
      store,
      index,
      answerer: createAnswerer({ cache: store }),
      publisher: channel,
      owner: 'bot',
      leaseMs: 60_000,
      now: () => time,
      fetchDays: (dates) => refresher.fetchClosedDays(dates),
    };
  });
  afterEach(async () => {
    await store.close();
    await hf.close();
  });

  /** What the Hub serves at the simulated time: each day's items so far (a growing share while the day runs). */
  function publishSoFar(): void {
    const today = utcDay(time);
    for (let day = addDays(START, -7); day <= today; day = addDays(day, 1)) {
      const items = recorded.get(day) ?? [];
      const share = day < today ? 1 : (time.getTime() - Date.parse(`${day}T00:00:00Z`)) / 86_400_000;
      hf.days.set(day, items.slice(0, Math.floor(items.length * share)));
    }
  }

  /** Steps the clock to the end, ticking the digests every step and refreshing at :05 each hour, unless `down`. */
  async function run(down: (at: Date) => boolean = () => false): Promise<void> {
    const end = Date.parse(`${END}T23:59:00Z`);
    for (; time.getTime() <= end; time = new Date(time.getTime() + STEP_MS)) {
      if (down(time)) continue;
      publishSoFar();
      if (time.getUTCMinutes() === 5) await refresher.run();
      await runDueDigests(time, deps);
    }
  }

  /** Each channel: every closed day since the start exactly once, each when it had closed, its list whole. */
  async function expectEveryClosedDayOnce(): Promise<void> {
    for (const { channelId } of CHANNELS) {
      const posts = channel.posts.filter((post) => post.channelId === channelId);
      expect(posts.length, channelId).toBeGreaterThanOrEqual(3);
      const covered = posts.flatMap((post) => post.trendingDays);
      expect(new Set(covered).size, `${channelId}: a day twice`).toBe(covered.length);
      for (const post of posts)
        for (const day of post.trendingDays) expect(day < utcDay(post.at), `${channelId}: ${day} before it closed`).toBe(true);
      const newestClosed = addDays(utcDay(posts.at(-1)!.at), -1);
      const owed = [...recorded.keys()].filter((day) => day >= START && day <= newestClosed && recorded.get(day)!.length > 0);
      expect(covered.sort(), channelId).toEqual(owed);
      const papers = posts.flatMap((post) => post.paperIds);
      expect(new Set(papers).size, `${channelId}: a paper twice`).toBe(papers.length);
    }
    // Each day was read in full after it closed: the store holds every item of it.
    for (const [day, items] of recorded) {
      if (day < START || day >= END) continue;
      expect((await store.trendingOn(day)).length, day).toBe(items.length);
    }
  }

  it('every channel gets every closed day exactly once, Friday and the weekend included', async () => {
    await run();
    await expectEveryClosedDayOnce();
    const tokyo = channel.posts.filter((post) => post.channelId === 'C-tokyo');
    // Tokyo's Monday 08:00 is Sunday 23:00 UTC: it carries Thursday's and Friday's lists.
    const monday = tokyo.find((post) => post.date === '2025-04-14')!;
    expect(monday.trendingDays).toEqual(['2025-04-10', '2025-04-11']);
    // Paris at 09:00 gets the day before's list whole, never today's half-filled one.
    const parisTuesday = channel.posts.find((post) => post.channelId === 'C-paris' && post.date === '2025-04-08')!;
    expect(parisTuesday.trendingDays).toEqual(['2025-04-07']);
  }, 120_000);

  it('three days of downtime lose no day: the first digests after it carry the days missed', async () => {
    // Down from Wednesday 00:00 to Friday 23:55 UTC: no refresh, no tick.
    await run((at) => at >= new Date('2025-04-09T00:00:00Z') && at < new Date('2025-04-12T00:00:00Z'));
    await expectEveryClosedDayOnce();
    const paris = channel.posts.filter((post) => post.channelId === 'C-paris' && post.date === '2025-04-12')[0]!;
    expect(paris.trendingDays).toEqual(['2025-04-08', '2025-04-09', '2025-04-10', '2025-04-11']);
  }, 120_000);
});
