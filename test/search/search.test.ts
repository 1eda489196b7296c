import { describe, expect, it } from 'vitest';
import { loadCorpus } from '../../src/papers/corpus.js';
import { PaperSchema, type Paper, type PaperInput } from '../../src/papers/paper.js';
import { DEFAULT_CORPUS } from '../../src/paths.js';
import { buildIndex } from '../../src/search/index.js';
import { buildVariantIndex } from '../../src/search/variants.js';

const seed = buildIndex(loadCorpus(DEFAULT_CORPUS).papers);
const ids = (hits: { paper: Paper }[]) => hits.map((hit) => hit.paper.id);

function paper(input: Partial<PaperInput> & { id: string }): Paper {
  return PaperSchema.parse({ title: input.id, source: 'test', ...input });
}

describe('folding', () => {
  it('finds "TNF-α" and "naïve" for the words a keyboard types', () => {
    const index = buildIndex([
      paper({ id: 'greek', title: 'Cytokines', abstract: 'TNF-α levels rise in naïve mice.' }),
      paper({ id: 'other', title: 'Vision', abstract: 'Image classification.' }),
    ]);
    expect(ids(index.search('tnf alpha'))).toEqual(['greek']);
    expect(ids(index.search('naive'))).toEqual(['greek']);
  });
});

describe('synonyms', () => {
  it('finds "knowledge distillation" papers for KD', () => {
    const found = ids(seed.search('KD'));
    expect(found).toContain('dual-head-knowledge-distillation-enhancing-logits-utilization-with-an-auxiliary');
    expect(found).toContain('on-teacher-hacking-in-language-model-distillation');
  });

  it('finds a paper that says only "KD" for knowledge distillation, and says which synonym matched', () => {
    const index = buildIndex([
      paper({ id: 'kd', title: 'Compact students', abstract: 'We improve KD for small students.' }),
      paper({ id: 'other', title: 'Vision', abstract: 'Image classification.' }),
    ]);
    const hits = index.search('knowledge distillation');
    expect(ids(hits)).toEqual(['kd']);
    expect(hits[0]!.matched).toEqual(['KD']);
  });

  it('finds continual learning papers for lifelong learning', () => {
    const top = ids(seed.search('lifelong learning', { limit: 5 }));
    expect(top).toContain('online-prototype-learning-for-online-continual-learning');
    expect(top).toContain('do-your-best-and-get-enough-rest-for-continual-learning');
  });

  it('ranks a paper using the typed words above one using only a synonym', () => {
    const index = buildIndex([
      paper({ id: 'synonym', title: 'Students', abstract: 'Knowledge distillation for students.' }),
      paper({ id: 'typed', title: 'Students', abstract: 'KD for students.' }),
    ]);
    expect(ids(index.search('KD'))).toEqual(['typed', 'synonym']);
  });

  it('can be switched off', () => {
    const index = buildVariantIndex([paper({ id: 'kd', title: 'Knowledge distillation' })], { synonyms: false });
    expect(index.search('KD')).toEqual([]);
  });
});

describe('typo tolerance', () => {
  it('still finds diffusion papers for "difusion" and names the real word', () => {
    const hits = seed.search('difusion');
    expect(ids(hits)).toContain('unlearning-concepts-in-diffusion-model-via-concept-domain-correction-and-concept');
    expect(hits[0]!.matched).toEqual(['diffusion']);
  });

  it('finds distillation papers for "distilation"', () => {
    expect(ids(seed.search('distilation'))).toContain('on-teacher-hacking-in-language-model-distillation');
  });

  it('leaves correctly spelled words exact', () => {
    // "grape" is one edit from "graph": typo matching would pull it in if it touched known words.
    const papers = [
      paper({ id: 'a', title: 'Graph learning' }),
      paper({ id: 'b', title: 'Graphs learned' }),
      paper({ id: 'c', title: 'Grape learning' }),
    ];
    const index = buildIndex(papers);
    const fuzzyless = buildVariantIndex(papers, { fuzzy: 'off' });
    expect(ids(index.search('graph'))).not.toContain('c');
    expect(index.search('graph').map((hit) => hit.score)).toEqual(fuzzyless.search('graph').map((hit) => hit.score));
    expect(ids(buildVariantIndex(papers, { fuzzy: 'always' }).search('graph'))).toContain('c');
  });
});

describe('prior', () => {
  const papers = [
    paper({ id: 'quiet', title: 'Sparse attention', abstract: 'Sparse attention for transformers.', upvotes: 0 }),
    paper({
      id: 'popular',
      title: 'Sparse attention',
      abstract: 'Sparse attention for transformers.',
      upvotes: 150,
      trending: { date: '2026-11-26', rank: 1 },
    }),
    paper({ id: 'unrelated', title: 'Speech', abstract: 'Speech recognition.', upvotes: 500 }),
  ];
  const index = buildIndex(papers, { now: () => new Date('2026-11-27') });

  it('changes the order but not which papers match', () => {
    const withPrior = ids(index.search('sparse attention'));
    const without = ids(index.search('sparse attention', { prior: false }));
    expect(withPrior[0]).toBe('popular');
    expect(new Set(withPrior)).toEqual(new Set(without));
    expect(withPrior).not.toContain('unrelated');
  });

  it('is mild: at most a 20% boost', () => {
    const [boosted] = index.search('sparse attention');
    const plain = index.search('sparse attention', { prior: false }).find((hit) => hit.paper.id === 'popular')!;
    expect(boosted!.score / plain.score).toBeGreaterThan(1);
    expect(boosted!.score / plain.score).toBeLessThanOrEqual(1.2);
  });

  it('can be off by default', () => {
    const off = buildIndex(papers, { prior: false });
    expect(off.search('sparse attention').map((hit) => hit.score)).toEqual(
      index.search('sparse attention', { prior: false }).map((hit) => hit.score),
    );
  });
});

describe('filters', () => {
  const index = buildIndex([
    paper({ id: 'old', title: 'Robot learning', publishedAt: '2024-01-10', upvotes: 3 }),
    paper({ id: 'new', title: 'Robot learning', publishedAt: '2025-06-01', upvotes: 40 }),
    paper({ id: 'trend', title: 'Robot learning', trending: { date: '2025-03-28', rank: 2 }, upvotes: 10 }),
    paper({ id: 'undated', title: 'Robot learning' }),
  ]);

  it('bounds the date, using the trending date when there is no publication date', () => {
    expect(ids(index.search('robot', { from: '2025-01-01' })).sort()).toEqual(['new', 'trend']);
    expect(ids(index.search('robot', { to: '2025-03-28' })).sort()).toEqual(['old', 'trend']);
  });

  it('files a Daily Papers paper under the day it trended, not its arXiv date (BlenderFusion: published 2025-06-20, trending 2025-06-30)', () => {
    const daily = buildIndex([
      paper({ id: '2506.17450', title: 'BlenderFusion compositing', publishedAt: '2025-06-20', trending: { date: '2025-06-30', rank: 1 } }),
    ]);
    expect(ids(daily.search('BlenderFusion', { from: '2025-06-30', to: '2025-06-30' }))).toEqual(['2506.17450']);
    expect(ids(daily.search('BlenderFusion', { from: '2025-06-20', to: '2025-06-20' }))).toEqual([]);
  });

  it('applies minUpvotes, exclude and only', () => {
    expect(ids(index.search('robot', { minUpvotes: 10 })).sort()).toEqual(['new', 'trend']);
    expect(ids(index.search('robot', { exclude: ['old', 'new'] })).sort()).toEqual(['trend', 'undated']);
    expect(ids(index.search('robot', { only: ['old', 'new', 'not-indexed'] })).sort()).toEqual(['new', 'old']);
    expect(ids(index.search('robot', { only: ['old', 'new'], exclude: ['old'] }))).toEqual(['new']);
    expect(index.search('robot', { only: [] })).toEqual([]);
  });

  it('honours the limit', () => {
    expect(index.search('robot', { limit: 2 })).toHaveLength(2);
    expect(index.search('robot', { limit: 0 })).toEqual([]);
  });

  it('rejects a malformed date', () => {
    expect(() => index.search('robot', { from: 'last week' })).toThrow(RangeError);
  });
});

describe('hits', () => {
  it('carry the best-matching abstract sentence as snippet', () => {
    const [hit] = seed.search('catastrophic forgetting replay', { limit: 1 });
    expect(hit!.snippet).toMatch(/forgetting|replay/i);
    expect(hit!.paper.abstract).toContain(hit!.snippet);
  });

  it('list the query words that matched, as typed', () => {
    const [hit] = seed.search('MoE training', { limit: 1 });
    expect(hit!.paper.id).toBe('aquilamoe-efficient-training-for-moe-models-with-scale-up-and-scale-out-strategi');
    expect(hit!.matched).toEqual(['MoE', 'training', 'mixture of experts']);
  });

  it('are empty for a query of stop words only', () => {
    expect(seed.search('the of and')).toEqual([]);
  });
});

describe('moreLike', () => {
  it('finds papers on the same topic, itself excluded', () => {
    const id = 'online-prototype-learning-for-online-continual-learning';
    const similar = ids(seed.moreLike(id, { limit: 5 }));
    expect(similar).not.toContain(id);
    expect(similar).toContain('hpcr-holistic-proxy-based-contrastive-replay-for-online-continual-learning');
  });

  it('returns nothing for an unknown id', () => {
    expect(seed.moreLike('no-such-paper')).toEqual([]);
  });
});

describe('suggest', () => {
  it('offers close words from the papers for a misspelt query', () => {
    expect(seed.suggest('curiculum')).toContain('curriculum');
  });

  it('compares words as written, so a typo that breaks the stem still finds the word', () => {
    expect(seed.search('distilaton')).toEqual([]);
    expect(seed.suggest('distilaton')).toContain('distillation');
  });

  it('offers words within one edit of a short word, the most frequent first', () => {
    const index = buildIndex([
      paper({ id: 'p1', title: 'Token pruning', abstract: 'Tokens are pruned.' }),
      paper({ id: 'p2', title: 'Token merging', abstract: 'Merging tokens.' }),
      paper({ id: 'p3', title: 'Results taken from maps' }),
    ]);
    expect(index.suggest('tken')).toEqual(['token', 'taken']);
  });

  it('offers nothing when every word is known', () => {
    expect(seed.suggest('distillation')).toEqual([]);
  });
});

describe('upsert and get', () => {
  it('makes a new paper searchable and replaces an existing one', () => {
    const index = buildIndex([paper({ id: 'p1', title: 'Protein folding' })]);
    index.upsert([paper({ id: 'p2', title: 'Weather forecasting' })]);
    expect(index.size).toBe(2);
    expect(ids(index.search('weather'))).toEqual(['p2']);

    index.upsert([paper({ id: 'p1', title: 'Graph rewiring' })]);
    expect(index.size).toBe(2);
    expect(index.search('protein')).toEqual([]);
    expect(ids(index.search('rewiring'))).toEqual(['p1']);
    expect(index.get('p1')?.title).toBe('Graph rewiring');
    expect(index.suggest('protien')).not.toContain('protein');
  });

  it('removes papers without a rebuild, and takes them back', () => {
    const index = buildIndex([paper({ id: 'p1', title: 'Protein folding' }), paper({ id: 'p2', title: 'Protein design' })]);
    index.remove(['p1', 'unknown']);
    expect(index.size).toBe(1);
    expect(index.get('p1')).toBeUndefined();
    expect(ids(index.search('protein'))).toEqual(['p2']);
    index.upsert([paper({ id: 'p1', title: 'Protein folding' })]);
    expect(ids(index.search('folding'))).toEqual(['p1']);
  });

  it('keeps the last of duplicate ids at build time', () => {
    const index = buildIndex([paper({ id: 'p', title: 'First' }), paper({ id: 'p', title: 'Second' })]);
    expect(index.size).toBe(1);
    expect(index.get('p')?.title).toBe('Second');
  });
});
