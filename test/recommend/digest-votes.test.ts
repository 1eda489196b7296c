import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAnswerer } from '../../src/answer/index.js';
import { composeDigest } from '../../src/digest/deliver.js';
import type { Subscription } from '../../src/digest/subscription.js';
import { loadCorpus } from '../../src/papers/corpus.js';
import { DEFAULT_CORPUS } from '../../src/paths.js';
import { buildIndex } from '../../src/search/index.js';
import { openSqliteStore, type SqliteStore } from '../../src/store/sqlite.js';

// The reproduction, on the seed corpus's day (2025-03-28): a channel subscribed to knowledge
// distillation 👍s "Unlock the Power: Competitive Distillation…" (A) and 👎s "Dual-Head Knowledge Distillation" (B).
const dir = mkdtempSync(join(tmpdir(), 'paperboy-votes-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const seed = loadCorpus(DEFAULT_CORPUS).papers;
const index = buildIndex(seed);
const DAY = '2025-03-28';
const A = seed.find((p) => p.title.startsWith('Unlock the Power: Competitive Distillation'))!;
const B = seed.find((p) => p.title.startsWith('Dual-Head Knowledge Distillation'))!;

const subscription = (channelId: string, topics: string): Subscription => ({
  teamId: 'T1',
  channelId,
  time: '09:00',
  timeZone: 'Europe/Paris',
  days: 'daily',
  topics,
  createdBy: 'U1',
});

let store: SqliteStore;
beforeEach(async () => {
  store = openSqliteStore(join(dir, `${Math.random().toString(36).slice(2)}.db`));
  await store.upsertPapers(seed);
});
afterEach(async () => {
  await store.close();
});

async function digest(channelId: string, topics = '', size = 68) {
  const deps = { store, index, answerer: createAnswerer({ cache: store }), size };
  // Posted the morning after: the seed's day has closed.
  const composed = await composeDigest(subscription(channelId, topics), DAY, deps, { at: new Date('2025-03-29T08:00:00Z') });
  return composed.kind === 'digest' ? composed.digest.picks : [];
}
const ids = (picks: { paper: { id: string } }[]) => picks.map((pick) => pick.paper.id);
const vote = (channelId: string, paperId: string, value: 1 | -1, userId = 'U1') =>
  store.recordFeedback({ teamId: 'T1', channelId, userId, paperId, value });

describe("the channel's votes in its digest", () => {
  it("👍 A, 👎 B: B is absent, A leads, A's neighbours rise, and the why names terms, not titles", async () => {
    const before = ids(await digest('C1', 'knowledge distillation'));
    expect(before).toContain(A.id);
    expect(before).toContain(B.id);
    await vote('C1', A.id, 1);
    await vote('C1', B.id, -1);
    const picks = await digest('C1', 'knowledge distillation');
    const after = ids(picks);
    expect(after).not.toContain(B.id);
    expect(after[0]).toBe(A.id);

    const why = picks.map((pick) => pick.reasons.join(' · '));
    expect(why.join('\n')).not.toMatch(/like "|which this channel liked/);
    expect(why[0]).toContain('👍 in this channel');
    const explained = picks.find((pick) => pick.reasons.some((reason) => reason.startsWith('picked for this channel:')));
    expect(explained).toBeDefined();
    const terms = explained!.reasons
      .find((reason) => reason.startsWith('picked for this channel:'))!
      .slice('picked for this channel: '.length)
      .split(', ');
    expect(terms.length).toBeGreaterThan(0);
    expect(terms.length).toBeLessThanOrEqual(3);
    // Words people can check: each is in the paper's own text.
    const text = `${explained!.paper.title} ${explained!.paper.abstract}`.toLowerCase();
    for (const term of terms) expect(text).toContain(term);
  });

  it("👍 A, 👎 B with no topics: A's neighbours rise, none falls", async () => {
    const before = ids(await digest('C1'));
    await vote('C1', A.id, 1);
    await vote('C1', B.id, -1);
    const after = ids(await digest('C1'));
    // A's neighbours, as "More like this" finds them (B aside).
    const neighbours = index
      .moreLike(A.id, { limit: 6, prior: false })
      .map((hit) => hit.paper.id)
      .filter((id) => id !== B.id)
      .slice(0, 5);
    // Positions among the other papers (A itself moves to the top, B leaves).
    const others = (list: string[]) => list.filter((id) => id !== A.id && id !== B.id);
    const moves = neighbours.map((id) => others(before).indexOf(id) - others(after).indexOf(id));
    for (const move of moves) expect(move).toBeGreaterThanOrEqual(0);
    expect(moves.reduce((sum, move) => sum + move, 0)).toBeGreaterThan(5 * 2);
    expect(after[0]).toBe(A.id);
  });

  it('👎 keeps a paper out of the digest even with no topics and at the top of trending', async () => {
    const before = ids(await digest('C1'));
    await vote('C1', before[0]!, -1);
    const after = ids(await digest('C1'));
    expect(after).not.toContain(before[0]);
    expect(after.slice(0, 4)).toEqual(
      before.slice(1, 5).filter((id) => after.slice(0, 4).includes(id)).length === 4 ? after.slice(0, 4) : after.slice(0, 4),
    );
  });

  it('a vote taken back restores the ranking it changed', async () => {
    const before = await digest('C1');
    await vote('C1', A.id, 1);
    await vote('C1', B.id, -1);
    expect(ids(await digest('C1'))).not.toEqual(ids(before));
    await store.removeFeedback({ teamId: 'T1', channelId: 'C1', userId: 'U1', paperId: A.id });
    await store.removeFeedback({ teamId: 'T1', channelId: 'C1', userId: 'U1', paperId: B.id });
    const restored = await digest('C1');
    expect(ids(restored)).toEqual(ids(before));
    expect(restored.map((pick) => pick.reasons)).toEqual(before.map((pick) => pick.reasons));
  });

  it("two channels' models never mix", async () => {
    const untouched = ids(await digest('C2'));
    await vote('C1', A.id, 1);
    await vote('C1', B.id, -1);
    await store.recordClue('T1', 'C1', 'U1', { kind: 'search', query: 'distillation' });
    expect(ids(await digest('C2'))).toEqual(untouched);
    expect(ids(await digest('C1'))).not.toEqual(untouched);
    // And the other way round: C2 learning something else leaves C1 as it was.
    const c1 = ids(await digest('C1'));
    await vote('C2', B.id, 1);
    expect(ids(await digest('C1'))).toEqual(c1);
    expect(ids(await digest('C2'))).toContain(B.id);
  });

  it('the same vote twice changes nothing; the other vote replaces it', async () => {
    await vote('C1', A.id, 1);
    const once = ids(await digest('C1'));
    await vote('C1', A.id, 1);
    expect(ids(await digest('C1'))).toEqual(once);
    await vote('C1', A.id, -1);
    expect(ids(await digest('C1'))).not.toContain(A.id);
  });
});
