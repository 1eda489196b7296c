import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAnswerer } from '../../src/answer/index.js';
import {
  deliverDigest,
  PublishRateLimited,
  PublishRefused,
  type Digest,
  type DigestDeps,
  type DigestPublisher,
} from '../../src/digest/deliver.js';
import { createDigestTicker, runDueDigests } from '../../src/digest/scheduler.js';
import type { Subscription } from '../../src/digest/subscription.js';
import { loadCorpus } from '../../src/papers/corpus.js';
import { DEFAULT_CORPUS } from '../../src/paths.js';
import { buildIndex } from '../../src/search/index.js';
import type { DigestKey } from '../../src/digest/digest-store.js';
import { openSqliteStore, type SqliteStore } from '../../src/store/sqlite.js';
import { startOpenAiServer, type OpenAiTestServer } from '../support/openai-server.js';

const dir = mkdtempSync(join(tmpdir(), 'paperboy-digest-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const seed = loadCorpus(DEFAULT_CORPUS).papers;
const index = buildIndex(seed);
const DAY = '2025-03-28';

/** A channel as the publisher sees it: messages with the digest's date and papers as metadata. */
class RecordingChannel implements DigestPublisher {
  readonly posts: Array<{ channelId: string; ts: string; date: string; paperIds: string[]; reasons: string[][] }> = [];
  failNext = false;
  /** Thrown by the next publish calls, in order. */
  readonly errors: Error[] = [];
  historyFails = false;

  async publish(digest: Digest): Promise<string> {
    if (this.failNext) {
      this.failNext = false;
      throw new Error('socket hang up');
    }
    const error = this.errors.shift();
    if (error) throw error;
    const ts = `${1743148800 + this.posts.length}.000100`;
    const paperIds = digest.picks.map((pick) => pick.paper.id);
    this.posts.push({
      channelId: digest.subscription.channelId,
      ts,
      date: digest.date,
      paperIds,
      reasons: digest.picks.map((p) => p.reasons),
    });
    return ts;
  }

  async findPublished(key: DigestKey) {
    if (this.historyFails) throw new Error('conversations.history: internal_error');
    const post = this.posts.find((p) => p.channelId === key.channelId && p.date === key.date);
    return post && { ts: post.ts, paperIds: post.paperIds };
  }
}

const subscription = (channelId: string, topics = '', extra: Partial<Subscription> = {}): Subscription => ({
  teamId: 'T1',
  channelId,
  time: '09:00',
  timeZone: 'Europe/Paris',
  days: 'weekdays',
  topics,
  createdBy: 'U1',
  ...extra,
});

let time: Date;
let store: SqliteStore;
let channel: RecordingChannel;
let llm: OpenAiTestServer;
let deps: DigestDeps;

const warnings: string[] = [];
const logger = {
  info: () => undefined,
  warn: (message: string, fields?: Record<string, unknown>) => void warnings.push(`${message} ${JSON.stringify(fields ?? {})}`),
};

beforeEach(async () => {
  warnings.length = 0;
  // The morning after the seed's Daily Papers day: that day has closed.
  time = new Date('2025-03-29T08:00:00Z');
  store = openSqliteStore(join(dir, `${Math.random().toString(36).slice(2)}.db`), { now: () => time });
  await store.upsertPapers(seed);
  channel = new RecordingChannel();
  llm = await startOpenAiServer();
  const answerer = createAnswerer({ config: llmConfig(llm.baseURL), cache: store });
  deps = { store, index, answerer, publisher: channel, owner: 'process-a', leaseMs: 60_000, now: () => time, logger };
});
afterEach(async () => {
  await store.close();
  await llm.close();
});

describe('deliverDigest', () => {
  it("posts the day's top trending papers once, saying why each was picked, with its thread stored", async () => {
    expect(await deliverDigest(subscription('C1'), DAY, deps)).toBe('posted');
    expect(await deliverDigest(subscription('C1'), DAY, { ...deps, owner: 'process-b' })).toBe('already-posted');
    expect(channel.posts).toHaveLength(1);
    const [post] = channel.posts;
    expect(post!.paperIds).toEqual(seed.slice(0, 5).map((p) => p.id));
    expect(post!.reasons[0]).toEqual(['#1 trending']);
    expect(await store.getThread({ teamId: 'T1', channelId: 'C1', threadTs: post!.ts })).toMatchObject({
      kind: 'digest',
      paperIds: post!.paperIds,
    });
  });

  it("filters by the channel's topics through the search index", async () => {
    await deliverDigest(subscription('C1', 'knowledge distillation'), DAY, deps);
    const papers = channel.posts[0]!.paperIds.map((id) => index.get(id)!);
    expect(papers.map((p) => p.title)).toContain(seed.find((p) => p.title.startsWith('Dual-Head Knowledge Distillation'))!.title);
    for (const paper of papers) expect(`${paper.title} ${paper.abstract}`).toMatch(/distil/i);
    expect(channel.posts[0]!.reasons.flat().join(' ')).toMatch(/matches your topics: knowledge, distillation/);
  });

  it('never sends a channel a paper it got in the last 30 days', async () => {
    const daily = subscription('C1', '', { days: 'daily' });
    await deliverDigest(daily, DAY, deps);
    // The same papers trend again the next day.
    await store.upsertPapers(seed.map((paper) => ({ ...paper, trending: { date: '2025-03-29', rank: paper.trending!.rank } })));
    time = new Date('2025-03-30T08:00:00Z');
    await deliverDigest(daily, '2025-03-29', deps);
    const [first, second] = channel.posts;
    expect(second!.paperIds.filter((id) => first!.paperIds.includes(id))).toEqual([]);
    expect(second!.paperIds).toEqual(seed.slice(5, 10).map((p) => p.id));
    // Another channel is not affected.
    await deliverDigest(subscription('C2'), DAY, deps);
    expect(channel.posts[2]!.paperIds).toEqual(first!.paperIds);
  });

  it("lets the channel's votes move papers, and says so", async () => {
    const dualHead = seed.find((p) => p.title.startsWith('Dual-Head Knowledge Distillation'))!;
    await store.recordFeedback({ teamId: 'T1', channelId: 'C1', userId: 'U1', paperId: dualHead.id, value: 1 });
    await deliverDigest(subscription('C1', '', { days: 'daily' }), '2025-04-01', deps);
    const post = channel.posts[0]!;
    // The liked paper leads, saying so (test/recommend/digest-votes.test.ts has the rest of the votes' effects).
    expect(post.paperIds[0]).toBe(dualHead.id);
    expect(post.reasons[0]).toContain('👍 in this channel');
    expect(post.reasons.flat().join(' ')).not.toMatch(/which this channel liked/);
  });

  it('recovers a claim whose process died before posting, once the lease runs out', async () => {
    await store.claimDigest({ teamId: 'T1', channelId: 'C1', date: DAY }, 'dead-process', 60_000);
    expect(await deliverDigest(subscription('C1'), DAY, deps)).toBe('held-elsewhere');
    time = new Date(time.getTime() + 61_000);
    expect(await deliverDigest(subscription('C1'), DAY, deps)).toBe('posted');
    expect(channel.posts).toHaveLength(1);
  });

  it('adopts the message of a process that died after posting, instead of posting again', async () => {
    const key = { teamId: 'T1', channelId: 'C1', date: DAY };
    const dead = await store.claimDigest(key, 'dead-process', 60_000);
    expect(await store.markDigestSending(key, 'dead-process', dead.claimed ? dead.fence : 0, 60_000)).toBe(true);
    channel.posts.push({ channelId: 'C1', ts: '1743140000.000100', date: DAY, paperIds: ['a', 'b'], reasons: [] });
    time = new Date(time.getTime() + 61_000);
    expect(await deliverDigest(subscription('C1'), DAY, deps)).toBe('adopted');
    expect(channel.posts).toHaveLength(1);
    expect(await store.postedPaperIds('T1', 'C1', DAY)).toEqual(new Set(['a', 'b']));
  });

  it('an unclear failure is "maybe posted": the next tick looks in the channel first, then posts', async () => {
    channel.failNext = true;
    expect(await deliverDigest(subscription('C1'), DAY, deps)).toBe('failed');
    expect(warnings.join('\n')).toMatch(/digest may have been posted.*T1\/C1/);
    const key = { teamId: 'T1', channelId: 'C1', date: DAY };
    // Never back to "never tried": the claim says to recover.
    const claim = await store.claimDigest(key, 'inspector', 60_000);
    expect(claim).toMatchObject({ claimed: true, recovering: true });
    await store.releaseDigest(key, 'inspector');
    expect(await deliverDigest(subscription('C1'), DAY, deps)).toBe('posted');
    expect(channel.posts).toHaveLength(1);
  });

  it('a failed recovery never forgets: the claim stays "maybe posted" until the channel can be read', async () => {
    channel.failNext = true;
    await deliverDigest(subscription('C1'), DAY, deps);
    channel.historyFails = true;
    expect(await deliverDigest(subscription('C1'), DAY, deps)).toBe('failed');
    expect(channel.posts).toHaveLength(0);
    channel.historyFails = false;
    channel.posts.push({ channelId: 'C1', ts: '1743140000.000100', date: DAY, paperIds: ['a'], reasons: [] });
    expect(await deliverDigest(subscription('C1'), DAY, deps)).toBe('adopted');
    expect(channel.posts).toHaveLength(1);
  });

  it('a refusal keeps the claim recoverable and is logged at warn; the next tick posts', async () => {
    channel.errors.push(new PublishRefused('invalid_blocks', false));
    expect(await deliverDigest(subscription('C1'), DAY, deps)).toBe('failed');
    expect(warnings.join('\n')).toMatch(/Slack refused it.*invalid_blocks/);
    expect(await deliverDigest(subscription('C1'), DAY, deps)).toBe('posted');
  });

  it('pauses a channel Slack says is gone, logs it, and no tick tries it again until it subscribes again', async () => {
    const sub = subscription('C1', '', { days: 'daily' });
    await store.saveSubscription(sub);
    channel.errors.push(new PublishRefused('is_archived', false), new PublishRefused('channel_not_found', true));
    channel.errors.shift();
    expect(await deliverDigest(sub, DAY, deps)).toBe('paused');
    expect(warnings.join('\n')).toMatch(/subscription paused.*channel_not_found/);
    expect(await store.getSubscription('T1', 'C1')).toMatchObject({ paused: 'channel_not_found' });
    time = new Date('2025-03-29T08:30:00Z');
    expect(await runDueDigests(time, deps)).toEqual({ due: 0, outcomes: {} });
    await store.saveSubscription(sub);
    expect((await store.getSubscription('T1', 'C1'))?.paused).toBeUndefined();
    expect(await runDueDigests(time, deps)).toEqual({ due: 1, outcomes: { posted: 1 } });
  });

  it('a process whose lease was taken over does not post', async () => {
    const key = { teamId: 'T1', channelId: 'C1', date: DAY };
    const slow = {
      ...deps,
      // While this process composes, its lease runs out and another process takes the claim.
      fetchDays: async () => {
        time = new Date(time.getTime() + 61_000);
        expect(await store.claimDigest(key, 'process-b', 60_000)).toMatchObject({ claimed: true });
      },
    };
    await store.upsertPapers([]);
    expect(await deliverDigest(subscription('C1'), DAY, slow)).toBe('held-elsewhere');
    expect(channel.posts).toHaveLength(0);
    expect(warnings.join('\n')).toContain('another process took the claim over');
  });

  it('renews its lease while Slack makes it wait longer than the lease, so no one else takes it', async () => {
    const key = { teamId: 'T1', channelId: 'C1', date: DAY };
    channel.errors.push(new PublishRateLimited(900));
    let otherTried: unknown;
    const waiting = {
      ...deps,
      leaseMs: 300,
      sleep: async (ms: number) => {
        // Simulated time passes three leases; the renewals (every 100 ms of real time) keep up with it.
        for (let passed = 0; passed < ms; passed += 100) {
          time = new Date(time.getTime() + 100);
          await new Promise((resolve) => setTimeout(resolve, 150));
        }
        otherTried = await store.claimDigest(key, 'process-b', 300);
      },
    };
    expect(await deliverDigest(subscription('C1'), DAY, waiting)).toBe('posted');
    expect(otherTried).toEqual({ claimed: false, reason: 'held' });
    expect(channel.posts).toHaveLength(1);
  });

  it('waits for a closed day that is not in the store: posts nothing, warns, and the claim is free for the next tick', async () => {
    time = new Date('2025-03-31T08:00:00Z'); // Monday: Sunday closed and the weekend was never fetched
    const fetched: string[][] = [];
    const offline = { ...deps, fetchDays: async (dates: string[]) => void fetched.push(dates) };
    expect(await deliverDigest(subscription('C1'), '2025-03-31', offline)).toBe('waiting-for-list');
    // Friday's list was stored but never fetched after it closed: it is asked for again too.
    expect(fetched).toEqual([['2025-03-28', '2025-03-29', '2025-03-30']]);
    expect(channel.posts).toHaveLength(0);
    expect(warnings.join('\n')).toMatch(/closed Daily Papers day is not in the store.*2025-03-29,2025-03-30/);
    expect(await store.claimDigest({ teamId: 'T1', channelId: 'C1', date: '2025-03-31' }, 'next', 60_000)).toMatchObject({
      claimed: true,
      recovering: false,
    });
  });

  it('nothing new is recorded once and logged at warn with the reason', async () => {
    const daily = subscription('C1', '', { days: 'daily' });
    expect(await deliverDigest(daily, DAY, deps)).toBe('posted');
    expect(await deliverDigest(daily, '2025-03-29', deps)).toBe('nothing-new');
    expect(warnings.join('\n')).toMatch(/digest skipped: nothing new.*already has every closed Daily Papers day through 2025-03-28/);
    expect(await deliverDigest(daily, '2025-03-29', deps)).toBe('already-posted');
  });
});

describe('runDueDigests', () => {
  it('delivers what is due in each zone, and computes each TL;DR once however many channels get it', async () => {
    const subs = [subscription('C-paris'), subscription('C-paris-2'), subscription('C-ny', '', { timeZone: 'America/New_York' })];
    for (const s of subs) await store.saveSubscription(s);
    time = new Date('2025-03-31T08:00:00Z'); // Monday 09:00 in Paris
    await store.markDayClosed('2025-03-29', 0);
    await store.markDayClosed('2025-03-30', 0);
    const paris = await runDueDigests(time, deps);
    expect(paris).toEqual({ due: 2, outcomes: { posted: 2 } });
    const tldrCalls = llm.requests.filter((r) => JSON.stringify(r.body).includes('tldr')).length;
    expect(tldrCalls).toBe(5);
    // Channels already served cost nothing: not even a claim.
    expect(await runDueDigests(time, deps)).toEqual({ due: 0, outcomes: {} });
    time = new Date('2025-03-31T13:00:00Z');
    expect((await runDueDigests(time, deps)).outcomes).toEqual({ posted: 1 });
    expect(channel.posts.map((p) => p.channelId).sort()).toEqual(['C-ny', 'C-paris', 'C-paris-2']);
  });
});

describe('the scheduler tick', () => {
  it('logs at warn a digest whose window ended with nothing posted', async () => {
    await store.saveSubscription(subscription('C-waiting'));
    const ticker = createDigestTicker({ ...deps, fetchDays: async () => undefined }, 4);
    time = new Date('2025-03-31T07:00:00Z'); // Monday 09:00 in Paris (CEST); the weekend's lists never came
    expect(await ticker.tick(time)).toBe(1);
    for (let i = 0; ticker.pending() > 0 && i < 200; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(warnings.join('\n')).toMatch(/closed Daily Papers day is not in the store.*C-waiting/);
    time = new Date('2025-03-31T10:00:00Z'); // 12:00: the window's last minute
    await ticker.tick(time);
    for (let i = 0; ticker.pending() > 0 && i < 200; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(warnings.join('\n')).not.toContain('window ended');
    time = new Date('2025-03-31T10:01:00Z');
    expect(await ticker.tick(time)).toBe(0);
    expect(warnings.at(-1)).toBe('digest skipped: its window ended with nothing posted {"channel":"T1/C-waiting","date":"2025-03-31"}');
    expect(channel.posts).toEqual([]);
  });

  it('one hung Slack call holds up no other channel and no later tick', async () => {
    const daily = (channelId: string, time = '09:00') => subscription(channelId, '', { days: 'daily', time });
    for (const sub of [daily('C-hung'), daily('C-ok'), daily('C-later', '09:01')]) await store.saveSubscription(sub);
    let hangUp: ((error: Error) => void) | undefined;
    const hanging: DigestPublisher = {
      // The first post to C-hung hangs until the test ends it as the client's timeout would.
      publish: (digest) =>
        digest.subscription.channelId === 'C-hung' && !hangUp
          ? new Promise<string>((_, reject) => (hangUp = reject))
          : channel.publish(digest),
      findPublished: (key) => channel.findPublished(key),
    };
    const ticker = createDigestTicker({ ...deps, publisher: hanging }, 4);
    const posted = (id: string) => channel.posts.some((post) => post.channelId === id);
    const until = async (condition: () => boolean) => {
      for (let i = 0; !condition(); i++) {
        if (i > 200) throw new Error('timed out');
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    };
    expect(await ticker.tick(time)).toBe(2);
    await until(() => posted('C-ok'));
    time = new Date(time.getTime() + 60_000);
    // C-hung is still in flight: not picked again; C-later, due now, goes out at once.
    expect(await ticker.tick(time)).toBe(1);
    await until(() => posted('C-later'));
    expect(posted('C-hung')).toBe(false);
    hangUp!(new Error('timeout of 30000ms exceeded'));
    await until(() => ticker.pending() === 0);
    expect(warnings.join('\n')).toMatch(/digest may have been posted.*C-hung/);
    // The next tick recovers it: nothing in the channel, so it posts.
    time = new Date(time.getTime() + 60_000);
    expect(await ticker.tick(time)).toBe(1);
    await until(() => ticker.pending() === 0);
    expect(channel.posts.map((post) => post.channelId).sort()).toEqual(['C-hung', 'C-later', 'C-ok']);
  });
});

function llmConfig(baseURL: string) {
  return { baseURL, model: 'test', timeoutMs: 5000, maxRetries: 0, maxPapers: 8, maxPromptTokens: 6000, maxOutputTokens: 300 };
}
