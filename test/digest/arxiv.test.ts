import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAnswerer } from '../../src/answer/index.js';
import { deliverDigest, type Digest, type DigestDeps, type DigestPublisher } from '../../src/digest/deliver.js';
import type { DigestKey } from '../../src/digest/digest-store.js';
import type { Subscription } from '../../src/digest/subscription.js';
import { loadCorpus } from '../../src/papers/corpus.js';
import type { Paper } from '../../src/papers/paper.js';
import { DEFAULT_CORPUS } from '../../src/paths.js';
import { buildIndex } from '../../src/search/index.js';
import { openSqliteStore, type SqliteStore } from '../../src/store/sqlite.js';
import { renderDigest } from '../../src/slack/blocks/digest.js';
import { startOpenAiServer, type OpenAiTestServer } from '../support/openai-server.js';

/*
 * The second kind of digest: papers new on arXiv in the channel's categories, ranked for it, posted
 * once a day beside (never instead of) its trending digest. arXiv papers are the seed's real
 * abstracts shaped as the arXiv source stores them (src/ingest/sources/arxiv-oai.ts: source
 * "arxiv", categories primary first, publishedAt the first version's day, no trending rank).
 */

const dir = mkdtempSync(join(tmpdir(), 'paperboy-arxiv-digest-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const DAY = '2025-03-28';
const seed = loadCorpus(DEFAULT_CORPUS).papers;
/** 30 papers new on arXiv on DAY, half cs.CL, half cs.CV; none trended. */
const arxiv: Paper[] = seed.slice(20, 50).map(({ trending: _, ...paper }, i) => ({
  ...paper,
  id: `2503.${String(20_000 + i)}`,
  upvotes: 0,
  source: 'arxiv',
  categories: i % 2 ? ['cs.CV', 'cs.AI'] : ['cs.CL', 'cs.LG'],
  publishedAt: DAY,
}));
/** A paper that trended and that arXiv also lists in cs.CL (merged: one paper). */
const both: Paper = { ...seed[0]!, categories: ['cs.CL'], publishedAt: DAY };
const index = buildIndex([...seed, ...arxiv]);

/** A channel: posts carry their kind as metadata, as the Slack publisher's do, and are found by it. */
class Channel implements DigestPublisher {
  readonly posts: Array<{ kind: string; ts: string; date: string; paperIds: string[]; digest: Digest }> = [];
  /** The next post lands but its answer is lost. */
  loseNextAnswer = false;

  async publish(digest: Digest): Promise<string> {
    const ts = `${1743148800 + this.posts.length}.000100`;
    const paperIds = digest.picks.map((pick) => pick.paper.id);
    this.posts.push({ kind: digest.subscription.kind ?? 'trending', ts, date: digest.date, paperIds, digest });
    if (this.loseNextAnswer) {
      this.loseNextAnswer = false;
      throw new Error('socket hang up');
    }
    return ts;
  }

  async findPublished(key: DigestKey) {
    const post = this.posts.find((p) => p.date === key.date && p.kind === (key.kind ?? 'trending'));
    return post && { ts: post.ts, paperIds: post.paperIds, throughDay: post.digest.trendingDate };
  }

  of(kind: string) {
    return this.posts.filter((post) => post.kind === kind);
  }
}

const subscription = (fields: Partial<Subscription> = {}): Subscription => ({
  teamId: 'T1',
  channelId: 'C1',
  time: '09:00',
  timeZone: 'Europe/Paris',
  days: 'weekdays',
  topics: '',
  createdBy: 'U1',
  ...fields,
});
const arxivSubscription = (fields: Partial<Subscription> = {}) => subscription({ kind: 'arxiv', categories: ['cs.CL'], ...fields });

let time: Date;
let store: SqliteStore;
let channel: Channel;
let llm: OpenAiTestServer;
let deps: DigestDeps;

beforeEach(async () => {
  time = new Date('2025-03-29T08:00:00Z');
  store = openSqliteStore(join(dir, `${Math.random().toString(36).slice(2)}.db`), { now: () => time });
  await store.upsertPapers([...seed, ...arxiv, both]);
  channel = new Channel();
  llm = await startOpenAiServer();
  const answerer = createAnswerer({
    config: {
      baseURL: llm.baseURL,
      model: 'test',
      timeoutMs: 5000,
      maxRetries: 0,
      maxPapers: 8,
      maxPromptTokens: 6000,
      maxOutputTokens: 300,
    },
    cache: store,
  });
  deps = { store, index, answerer, publisher: channel, owner: 'process-a', leaseMs: 60_000, now: () => time };
});
afterEach(async () => {
  await store.close();
  await llm.close();
});

describe('the arXiv digest', () => {
  it('posts both kinds in one channel, each once, the arXiv one only in its categories with how many more', async () => {
    expect(await deliverDigest(subscription(), DAY, deps)).toBe('posted');
    expect(await deliverDigest(arxivSubscription(), DAY, deps)).toBe('posted');
    expect(await deliverDigest(subscription(), DAY, { ...deps, owner: 'process-b' })).toBe('already-posted');
    expect(await deliverDigest(arxivSubscription(), DAY, { ...deps, owner: 'process-b' })).toBe('already-posted');
    expect(channel.of('trending')).toHaveLength(1);
    const [post] = channel.of('arxiv');
    expect(channel.of('arxiv')).toHaveLength(1);
    const picked = post!.digest.picks.map((pick) => pick.paper);
    expect(picked).toHaveLength(5);
    for (const paper of picked) expect(paper.categories).toContain('cs.CL');
    // A paper the trending digest already brought the channel is not brought again.
    const trendingIds = new Set(channel.of('trending')[0]!.paperIds);
    expect(post!.paperIds.filter((id) => trendingIds.has(id))).toEqual([]);
    // 15 cs.CL papers from arXiv, 5 shown: 10 more, linked to arXiv's list.
    expect(post!.digest.more).toEqual({ count: 10, url: 'https://arxiv.org/list/cs.CL/new' });
    const message = renderDigest(post!.digest);
    expect(message.text).toMatch(/^New on arXiv · cs\.CL · 2025-03-28/);
    expect(JSON.stringify(message.blocks)).toContain('…and 10 more new papers for this channel');
    expect(JSON.stringify(message.blocks)).toContain('Why:');
  });

  it("ranks by the channel's interests: its topics filter, its 👎 keeps a paper out of both kinds", async () => {
    await store.recordFeedback({ teamId: 'T1', channelId: 'C1', userId: 'U1', paperId: both.id, value: -1 });
    const disliked = arxiv.find((paper) => paper.categories![0] === 'cs.CL')!;
    await store.recordFeedback({ teamId: 'T1', channelId: 'C1', userId: 'U1', paperId: disliked.id, value: -1 });
    await deliverDigest(subscription(), DAY, deps);
    await deliverDigest(arxivSubscription({ categories: ['cs.*'] }), DAY, deps);
    const all = channel.posts.flatMap((post) => post.paperIds);
    expect(all).not.toContain(both.id);
    expect(all).not.toContain(disliked.id);

    // Another channel with topics: only papers about them, each saying so.
    const topical = arxivSubscription({ channelId: 'C2', categories: [], topics: 'language model' });
    expect(await deliverDigest(topical, DAY, deps)).toBe('posted');
    const post = channel.posts.at(-1)!;
    for (const pick of post.digest.picks) expect(`${pick.paper.title} ${pick.paper.abstract}`).toMatch(/language|model/i);
  });

  it('posts nothing on a day with nothing new in its categories, and covers that day later when papers come', async () => {
    const robots = arxivSubscription({ categories: ['cs.RO'] });
    expect(await deliverDigest(robots, DAY, deps)).toBe('nothing-new');
    expect(channel.posts).toEqual([]);
    // The next morning, cs.RO papers of the next day arrived.
    await store.upsertPapers([{ ...arxiv[0]!, id: '2503.99999', categories: ['cs.RO'], publishedAt: '2025-03-29' }]);
    time = new Date('2025-03-30T08:00:00Z');
    expect(await deliverDigest(robots, '2025-03-29', deps)).toBe('posted');
    expect(channel.posts[0]!.paperIds).toEqual(['2503.99999']);
    expect(channel.posts[0]!.digest.more).toBeUndefined();
  });

  it('is posted exactly once when Slack takes the post and loses the answer, and the trending digest is not mistaken for it', async () => {
    channel.loseNextAnswer = true;
    expect(await deliverDigest(arxivSubscription(), DAY, deps)).toBe('failed');
    // The trending digest of the same channel and day goes out on its own.
    expect(await deliverDigest(subscription(), DAY, deps)).toBe('posted');
    time = new Date(time.getTime() + 61_000);
    expect(await deliverDigest(arxivSubscription(), DAY, { ...deps, owner: 'process-b' })).toBe('adopted');
    expect(channel.of('arxiv')).toHaveLength(1);
    expect(channel.of('trending')).toHaveLength(1);
    expect(await store.lastDigestDay('T1', 'C1', 'arxiv')).toBe(DAY);
    expect(await deliverDigest(arxivSubscription(), DAY, deps)).toBe('already-posted');
  });
});
