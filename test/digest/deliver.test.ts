import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAnswerer } from '../../src/answer/index.js';
import { deliverDigest, type Digest, type DigestDeps, type DigestPublisher } from '../../src/digest/deliver.js';
import { runDueDigests } from '../../src/digest/scheduler.js';
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

  async publish(digest: Digest): Promise<string> {
    if (this.failNext) {
      this.failNext = false;
      throw new Error('slack: ratelimited');
    }
    const ts = `${1743148800 + this.posts.length}.000100`;
    const paperIds = digest.picks.map((pick) => pick.paper.id);
    this.posts.push({ channelId: digest.subscription.channelId, ts, date: digest.date, paperIds, reasons: digest.picks.map((p) => p.reasons) });
    return ts;
  }

  async findPublished(key: DigestKey) {
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

beforeEach(async () => {
  time = new Date(`${DAY}T08:00:00Z`);
  store = openSqliteStore(join(dir, `${Math.random().toString(36).slice(2)}.db`), { now: () => time });
  await store.upsertPapers(seed);
  channel = new RecordingChannel();
  llm = await startOpenAiServer();
  const answerer = createAnswerer({ config: llmConfig(llm.baseURL), cache: store });
  deps = { store, index, answerer, publisher: channel, owner: 'process-a', leaseMs: 60_000 };
});
afterEach(async () => {
  await store.close();
  await llm.close();
});

describe('deliverDigest', () => {
  it('posts the day\'s top trending papers once, saying why each was picked, with its thread stored', async () => {
    expect(await deliverDigest(subscription('C1'), DAY, deps)).toBe('posted');
    expect(await deliverDigest(subscription('C1'), DAY, { ...deps, owner: 'process-b' })).toBe('already-posted');
    expect(channel.posts).toHaveLength(1);
    const [post] = channel.posts;
    expect(post!.paperIds).toEqual(seed.slice(0, 5).map((p) => p.id));
    expect(post!.reasons[0]).toEqual(['#1 trending']);
    expect(await store.getThread({ teamId: 'T1', channelId: 'C1', threadTs: post!.ts })).toMatchObject({ kind: 'digest', paperIds: post!.paperIds });
  });

  it('filters by the channel\'s topics through the search index', async () => {
    await deliverDigest(subscription('C1', 'knowledge distillation'), DAY, deps);
    const papers = channel.posts[0]!.paperIds.map((id) => index.get(id)!);
    expect(papers.map((p) => p.title)).toContain(seed.find((p) => p.title.startsWith('Dual-Head Knowledge Distillation'))!.title);
    for (const paper of papers) expect(`${paper.title} ${paper.abstract}`).toMatch(/distil/i);
    expect(channel.posts[0]!.reasons.flat().join(' ')).toMatch(/matches your topics: knowledge, distillation/);
  });

  it('never sends a channel a paper it got in the last 30 days', async () => {
    const daily = subscription('C1', '', { days: 'daily' });
    await deliverDigest(daily, DAY, deps);
    await deliverDigest(daily, '2025-03-29', deps);
    const [first, second] = channel.posts;
    expect(second!.paperIds.filter((id) => first!.paperIds.includes(id))).toEqual([]);
    expect(second!.paperIds).toEqual(seed.slice(5, 10).map((p) => p.id));
    // Another channel is not affected.
    await deliverDigest(subscription('C2'), DAY, deps);
    expect(channel.posts[2]!.paperIds).toEqual(first!.paperIds);
  });

  it('lets the channel\'s votes move papers, and says so', async () => {
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
    await store.claimDigest(key, 'dead-process', 60_000);
    channel.posts.push({ channelId: 'C1', ts: '1743140000.000100', date: DAY, paperIds: ['a', 'b'], reasons: [] });
    time = new Date(time.getTime() + 61_000);
    expect(await deliverDigest(subscription('C1'), DAY, deps)).toBe('adopted');
    expect(channel.posts).toHaveLength(1);
    expect(await store.postedPaperIds('T1', 'C1', DAY)).toEqual(new Set(['a', 'b']));
  });

  it('gives the claim back when posting fails, so the next tick retries at once', async () => {
    channel.failNext = true;
    expect(await deliverDigest(subscription('C1'), DAY, deps)).toBe('failed');
    expect(await deliverDigest(subscription('C1'), DAY, deps)).toBe('posted');
  });
});

describe('runDueDigests', () => {
  it('delivers what is due in each zone, and computes each TL;DR once however many channels get it', async () => {
    const subs = [
      subscription('C-paris'),
      subscription('C-paris-2'),
      subscription('C-ny', '', { timeZone: 'America/New_York' }),
    ];
    for (const s of subs) await store.saveSubscription(s);
    const paris = await runDueDigests(time, deps);
    expect(paris).toEqual({ due: 2, outcomes: { posted: 2 } });
    const tldrCalls = llm.requests.filter((r) => JSON.stringify(r.body).includes('tldr')).length;
    expect(tldrCalls).toBe(5);
    expect((await runDueDigests(time, deps)).outcomes).toEqual({ 'already-posted': 2 });
    time = new Date(`${DAY}T13:00:00Z`);
    expect((await runDueDigests(time, deps)).outcomes).toEqual({ posted: 1 });
    expect(channel.posts.map((p) => p.channelId).sort()).toEqual(['C-ny', 'C-paris', 'C-paris-2']);
  });
});

function llmConfig(baseURL: string) {
  return { baseURL, model: 'test', timeoutMs: 5000, maxRetries: 0, maxPapers: 8, maxPromptTokens: 6000, maxOutputTokens: 300 };
}
