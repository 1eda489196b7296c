import { describe, expect, it } from 'vitest';
import { loadCorpus } from '../../src/papers/corpus.js';
import type { Paper } from '../../src/papers/paper.js';
import { DEFAULT_CORPUS } from '../../src/paths.js';
import { MaxScoreRanker, type Ranking } from '../../src/search/max-score.js';
import { Postings } from '../../src/search/postings.js';
import { Scorer, type ScoringQuery, type TermGroup } from '../../src/search/scorer.js';
import type { SearchHit, SearchOptions } from '../../src/search/types.js';
import { buildVariantIndex } from '../../src/search/variants.js';

const BOOSTS = [3, 1, 1, 1];
const BM25 = { k: 1.2, b: 0.6, d: 0 };

/** A deterministic generator (mulberry32), so a failure names a reproducible case. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Documents over a Zipf-like vocabulary: a few terms in most documents, most terms in few. */
function zipfDocuments(count: number, next: () => number): string[][][] {
  const term = () => `t${Math.floor(1 / (next() + 0.002)) % 400}`;
  const words = (max: number) => Array.from({ length: 1 + Math.floor(next() * max) }, term);
  return Array.from({ length: count }, () => [words(8), words(60), words(3), next() < 0.3 ? words(4) : []]);
}

function group(postings: Postings, source: string, weight: number): TermGroup {
  const id = postings.termId(source);
  return { source, derived: id === undefined ? [] : [{ term: source, id, weight }] };
}

/** Every posting scored (scorer.ts), ranked by relevance times prior, ties to the lower document. */
function exhaustive(postings: Postings, query: ScoringQuery, ranking: Ranking): { doc: number; score: number }[] {
  const { docs, relevance } = new Scorer(postings, BOOSTS, BM25, 'bm25f').score(query);
  return Array.from(docs)
    .filter((doc) => ranking.keep(doc))
    .map((doc) => ({ doc, score: relevance(doc) * ranking.prior(doc) }))
    .sort((a, b) => b.score - a.score || a.doc - b.doc)
    .slice(0, ranking.limit);
}

/** Same ranking, allowing for the last bits of a sum taken in another order. */
function expectSameRanking(actual: { doc: number; score: number }[], expected: { doc: number; score: number }[]): void {
  expect(actual.map(({ score }) => score)).toEqual(expected.map(({ score }) => expect.closeTo(score, 9)));
  const cut = expected.at(-1)?.score ?? 0;
  // Papers tied (to the float) with the last one shown may be swapped for one another; no other.
  const clear = (ranked: { doc: number; score: number }[]) => ranked.filter(({ score }) => score - cut > 1e-9).map(({ doc }) => doc);
  expect(new Set(clear(actual))).toEqual(new Set(clear(expected)));
}

describe('MaxScore ranking', () => {
  const next = random(14);
  const postings = new Postings(4);
  const documents = zipfDocuments(3000, next);
  postings.add(documents);
  // More documents added and some removed: several segments, and dead postings in them.
  postings.add(zipfDocuments(400, next));
  for (let doc = 0; doc < 3000; doc += 11) postings.remove(doc, documents[doc]!);
  const priors = Float64Array.from({ length: postings.documentSpan }, () => 1 + next() * 0.2);

  it('ranks exactly as scoring every posting, for random queries, filters, priors and limits', () => {
    const ranker = new MaxScoreRanker(postings, BOOSTS, BM25);
    for (let trial = 0; trial < 400; trial++) {
      const terms = Array.from({ length: 1 + Math.floor(next() * 6) }, () => `t${Math.floor(next() * next() * 400)}`);
      const query: ScoringQuery = {
        own: [...new Set(terms)].map((term) => group(postings, term, next() < 0.2 ? 0.5 : 1)),
        expansions:
          trial % 3 === 0
            ? [
                {
                  groups: [group(postings, `t${Math.floor(next() * 50)}`, 0.5), group(postings, `t${Math.floor(next() * 20)}`, 0)],
                  counts: true,
                },
              ]
            : [],
        coordination: false,
      };
      const withPrior = trial % 2 === 0;
      const ranking: Ranking = {
        limit: [1, 10, 50][trial % 3]!,
        keep: trial % 4 === 0 ? (doc) => doc % 7 !== 0 : () => true,
        prior: withPrior ? (doc) => priors[doc]! : () => 1,
        maxPrior: withPrior ? 1.2 : 1,
      };
      expectSameRanking(ranker.top(query, ranking), exhaustive(postings, query, ranking));
    }
  });

  it('reads only part of a common term’s postings once a rare term has filled the top', () => {
    const ranker = new MaxScoreRanker(postings, BOOSTS, BM25);
    const common = postings.termId('t1')!;
    const rare = [...Array(400).keys()]
      .map((i) => `t${i}`)
      .find((term) => {
        const id = postings.termId(term);
        return id !== undefined && postings.termDocFreq(id) >= 20 && postings.termDocFreq(id) <= 40;
      })!;
    const query: ScoringQuery = { own: [group(postings, rare, 1), group(postings, 't1', 1)], expansions: [], coordination: false };
    const ranking: Ranking = { limit: 10, keep: () => true, prior: () => 1, maxPrior: 1 };
    expect(ranker.top(query, ranking).length).toBe(10);
    expectSameRanking(ranker.top(query, ranking), exhaustive(postings, query, ranking));
    expect(postings.termDocFreq(common)).toBeGreaterThan(1000);
    expect(ranker.postingsScanned).toBeLessThan(200);
  });
});

describe('MaxScore ties', () => {
  it('gives a tie to the lower document number, whatever order the papers are met in', () => {
    const postings = new Postings(4);
    postings.add([
      [['rare'], ['common'], [], []],
      [['other'], ['common', 'rare'], [], []],
      [['rare'], ['common'], [], []],
    ]);
    const ranker = new MaxScoreRanker(postings, BOOSTS, BM25);
    const query: ScoringQuery = { own: [group(postings, 'common', 1), group(postings, 'rare', 1)], expansions: [], coordination: false };
    const ranked = ranker.top(query, { limit: 2, keep: () => true, prior: () => 1, maxPrior: 1 });
    expect(ranked.map(({ doc }) => doc)).toEqual([0, 2]);
    expect(ranker.top(query, { limit: 1, keep: (doc) => doc !== 0, prior: () => 1, maxPrior: 1 }).map(({ doc }) => doc)).toEqual([2]);
  });
});

describe('search with and without pruning', () => {
  const seed = loadCorpus(DEFAULT_CORPUS).papers;
  const next = random(12);
  const sentences = seed.flatMap((paper) => paper.abstract.split(/(?<=\.)\s+/));
  const pick = <T>(items: T[]) => items[Math.floor(next() * items.length)]!;
  const papers: Paper[] = [
    ...seed,
    ...Array.from({ length: 2000 }, (_, i) => ({
      ...pick(seed),
      id: `mix-${i}`,
      title: pick(seed).title,
      abstract: Array.from({ length: 3 + Math.floor(next() * 5) }, () => pick(sentences)).join(' '),
    })),
  ];
  const now = () => new Date('2025-06-01T00:00:00Z');
  const QUERIES = [
    'distillation',
    'knowledge distillation for small models',
    'how can small models learn from bigger ones',
    'RLHF',
    'VLM hallucination',
    'diffusion',
    'multi-modal reasoning',
    'the',
    'long context language model evaluation benchmark',
    'distilaton',
  ];
  const OPTIONS: SearchOptions[] = [
    {},
    { limit: 1 },
    { limit: 30 },
    { prior: false },
    { from: '2025-01-01' },
    { exclude: [seed[0]!.id], minUpvotes: 3 },
    { only: seed.slice(0, 20).map((paper) => paper.id), limit: 5 },
  ];
  const asRanked = (hits: SearchHit[]) =>
    hits.map((hit) => ({ doc: papers.findIndex((paper) => paper.id === hit.paper.id), score: hit.score }));

  it('returns the same papers and scores through the index, also after updates', () => {
    const pruned = buildVariantIndex(papers, { now });
    const full = buildVariantIndex(papers, { now, pruning: false });
    const check = () => {
      for (const query of QUERIES) {
        for (const options of OPTIONS) expectSameRanking(asRanked(pruned.search(query, options)), asRanked(full.search(query, options)));
      }
      for (const paper of seed.slice(0, 5)) expectSameRanking(asRanked(pruned.moreLike(paper.id)), asRanked(full.moreLike(paper.id)));
    };
    check();
    const changed = papers.slice(10, 60).map((paper) => ({ ...paper, title: `${paper.title} distillation`, upvotes: paper.upvotes + 50 }));
    for (const index of [pruned, full]) {
      index.upsert(changed);
      index.remove(papers.slice(100, 400).map(({ id }) => id));
    }
    check();
  });
});
