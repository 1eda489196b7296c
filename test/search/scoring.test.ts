import { describe, expect, it } from 'vitest';
import { PaperSchema, type Paper, type PaperInput } from '../../src/papers/paper.js';
import { createAnalyzer } from '../../src/search/analyzer.js';
import { buildVariantIndex, type VariantOptions } from '../../src/search/variants.js';
import { luceneLength } from '../../src/search/scorer.js';
import type { PaperIndex } from '../../src/search/types.js';

const K = 1.2;
const B = 0.75;
const analyzer = createAnalyzer();

function paper(input: Partial<PaperInput> & { id: string }): Paper {
  return PaperSchema.parse({ title: input.id, source: 'test', ...input });
}

const CORPUS = [
  paper({
    id: 'a',
    title: 'Graph neural networks for molecules',
    abstract: 'We train graph networks on molecular graphs. Graphs of atoms.',
    keywords: ['graphs'],
  }),
  paper({
    id: 'b',
    title: 'Protein folding with attention',
    abstract: 'Attention over residues predicts protein structure.',
    authors: ['Ada Graph'],
  }),
  paper({ id: 'c', title: 'Sparse attention', abstract: 'Sparse attention makes long-context transformers cheaper to train and to run.' }),
  paper({
    id: 'd',
    title: 'Molecule generation',
    abstract: 'A diffusion model generates molecules atom by atom, conditioned on a protein pocket.',
  }),
  paper({
    id: 'e',
    title: 'Networks of neurons',
    abstract: 'Spiking neural networks learn with local rules; we study their graphs of synapses.',
  }),
  paper({
    id: 'f',
    title: 'Training at scale',
    abstract: 'Mixed precision and sharding let us train large networks on many accelerators.',
    keywords: ['training', 'scale'],
  }),
];

type FieldLength = (terms: string[]) => number;
const distinctTerms: FieldLength = (terms) => new Set(terms).size;

/**
 * BM25 as the index promises it, computed the plain way: for each query term and field,
 * idf from the documents having the term in that field, the field length by default its
 * number of distinct terms; summed, then times the number of query terms the paper matched.
 */
function referenceRanking(papers: Paper[], query: string, fieldLength = distinctTerms): { id: string; score: number }[] {
  const fields = papers.map((p) => [p.title, p.abstract, p.authors.join(' '), p.keywords.join(' ')].map((text) => analyzer.terms(text)));
  const count = papers.length;
  const average = [0, 1, 2, 3].map((field) => fields.reduce((sum, doc) => sum + fieldLength(doc[field]!), 0) / count);
  const terms = [...new Set(analyzer.terms(query))];
  const ranked = papers.map((p, doc) => {
    let score = 0;
    let matched = 0;
    for (const term of terms) {
      let found = false;
      for (let field = 0; field < 4; field++) {
        const tf = fields[doc]![field]!.filter((t) => t === term).length;
        if (tf === 0) continue;
        found = true;
        const df = fields.filter((other) => other[field]!.includes(term)).length;
        const idf = Math.log(1 + (count - df + 0.5) / (df + 0.5));
        const length = fieldLength(fields[doc]![field]!);
        score += (idf * tf * (K + 1)) / (tf + K * (1 - B + (B * length) / average[field]!));
      }
      if (found) matched += 1;
    }
    return { id: p.id, score: score * matched };
  });
  return ranked.filter(({ score }) => score > 0).sort((x, y) => y.score - x.score);
}

// The MiniSearch-compatible scoring (per field, times parts matched, every field weighing 1, k1 and
// b as above) that the reference computes; the index's default weights differ (paper-index.ts).
const PLAIN: VariantOptions = {
  synonyms: false,
  fuzzy: 'off',
  prior: false,
  fieldScoring: 'per-field',
  coordination: true,
  boost: { title: 1, abstract: 1, authors: 1, keywords: 1 },
  bm25: { k: K, b: B, d: 0 },
};
const QUERIES = ['graph networks', 'protein attention', 'train networks at scale', 'molecules graph protein', 'sparse', 'graphs of atoms'];

function expectSameRanking(index: PaperIndex, papers: Paper[], query: string, fieldLength = distinctTerms): void {
  const expected = referenceRanking(papers, query, fieldLength);
  // Distinct scores, so the order is fully determined.
  expect(new Set(expected.map(({ score }) => score.toFixed(9))).size).toBe(expected.length);
  const hits = index.search(query, { limit: 100 });
  expect(hits.map((hit) => hit.paper.id)).toEqual(expected.map(({ id }) => id));
  hits.forEach((hit, i) => expect(hit.score).toBeCloseTo(expected[i]!.score, 10));
}

describe('BM25 scoring', () => {
  it.each(QUERIES)('ranks "%s" as the plain computation does', (query) => {
    expectSameRanking(buildVariantIndex(CORPUS, PLAIN), CORPUS, query);
  });

  it.each(QUERIES)('with Lucene field lengths, ranks "%s" counting every term', (query) => {
    // The fields here are shorter than 24 terms, which Lucene stores exactly.
    expectSameRanking(buildVariantIndex(CORPUS, { ...PLAIN, fieldScoring: 'lucene' }), CORPUS, query, (terms) => terms.length);
  });

  it('weighs a field by its boost', () => {
    const boosted = buildVariantIndex(CORPUS, { ...PLAIN, boost: { title: 3 } });
    const plain = buildVariantIndex(CORPUS, PLAIN);
    const titleOnly = (index: PaperIndex) => index.search('sparse').find((hit) => hit.paper.id === 'c')!.score;
    expect(titleOnly(boosted)).toBeGreaterThan(titleOnly(plain));
  });
});

describe('luceneLength', () => {
  it('keeps lengths below 24 and 4 significant bits of the rest, as SmallFloat.intToByte4 does', () => {
    expect([0, 1, 23, 24, 31].map(luceneLength)).toEqual([0, 1, 23, 24, 31]);
    // 124 → byte 60 → 120 and 1000 → byte 87 → 984 in Lucene's SmallFloat.
    expect(luceneLength(124)).toBe(120);
    expect(luceneLength(1000)).toBe(984);
  });
});

describe('BM25F', () => {
  it('scores a paper whose words are spread over fields like one with them in one field', () => {
    const spread = paper({ id: 'spread', title: 'graph', abstract: 'networks of molecules', keywords: ['chemistry'] });
    const together = paper({ id: 'together', title: 'graph networks', abstract: 'of molecules', keywords: ['chemistry'] });
    const index = buildVariantIndex([spread, together, ...CORPUS], { ...PLAIN, fieldScoring: 'bm25f' });
    const hits = index.search('graph networks', { limit: 100 });
    const score = (id: string) => hits.find((hit) => hit.paper.id === id)!.score;
    expect(score('spread')).toBeCloseTo(score('together'), 12);
    // Scored field by field, the two differ.
    const perField = buildVariantIndex([spread, together, ...CORPUS], PLAIN).search('graph networks', { limit: 100 });
    const perFieldScore = (id: string) => perField.find((hit) => hit.paper.id === id)!.score;
    expect(perFieldScore('spread')).not.toBeCloseTo(perFieldScore('together'), 3);
  });
});

describe('upsert', () => {
  const replaced = paper({ id: 'b', title: 'Graph transformers', abstract: 'Attention over graph nodes; no proteins here.' });
  const added = paper({
    id: 'g',
    title: 'Protein language models',
    abstract: 'Protein sequences as sentences; attention learns contacts.',
  });
  const live = [...CORPUS.filter(({ id }) => id !== 'b'), replaced, added];

  it.each(QUERIES)('scores "%s" over the live papers only, as a fresh build would', (query) => {
    const index = buildVariantIndex(CORPUS, PLAIN);
    index.upsert([replaced, added]);
    expectSameRanking(index, live, query);
    expect(index.search(query, { limit: 100 })).toEqual(buildVariantIndex(live, PLAIN).search(query, { limit: 100 }));
  });

  it('stays right through many small upserts (segments merged, dead postings dropped)', () => {
    const index = buildVariantIndex(CORPUS, PLAIN);
    let current = [...CORPUS];
    for (let round = 0; round < 40; round++) {
      const id = CORPUS[round % CORPUS.length]!.id;
      const next = paper({
        ...CORPUS.find((p) => p.id === id)!,
        abstract: `${CORPUS[(round * 5) % CORPUS.length]!.abstract} round ${round}`,
      });
      current = [...current.filter((p) => p.id !== id), next];
      index.upsert([next]);
    }
    expect(index.size).toBe(CORPUS.length);
    for (const query of QUERIES) {
      const fresh = buildVariantIndex(current, PLAIN).search(query, { limit: 100 });
      const hits = index.search(query, { limit: 100 });
      expect(hits.map((hit) => hit.paper.id).sort()).toEqual(fresh.map((hit) => hit.paper.id).sort());
      for (const hit of hits) expect(hit.score).toBeCloseTo(fresh.find((other) => other.paper.id === hit.paper.id)!.score, 10);
    }
  });

  it('forgets the words of a replaced paper', () => {
    const index = buildVariantIndex(CORPUS, PLAIN);
    index.upsert([paper({ id: 'c', title: 'Weather', abstract: 'Forecasting rain.' })]);
    expect(index.search('sparse')).toEqual([]);
    expect(index.search('rain').map((hit) => hit.paper.id)).toEqual(['c']);
  });
});
