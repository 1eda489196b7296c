import { describe, expect, it } from 'vitest';
import { loadSeedQueries } from '../../bench/lib/evaluate.js';
import { loadCorpus } from '../../src/papers/corpus.js';
import { PaperSchema, type Paper, type PaperInput } from '../../src/papers/paper.js';
import { DEFAULT_CORPUS } from '../../src/paths.js';
import { buildIndex, loadIndex, serializeIndex, type IndexOptions, type PaperIndex } from '../../src/search/index.js';
import { buildVariantIndex, loadVariantIndex } from '../../src/search/variants.js';

const options: IndexOptions = { now: () => new Date('2026-11-27T12:00:00Z') };
const papers = loadCorpus(DEFAULT_CORPUS).papers;
const seed = buildIndex(papers, options);
const bytes = serializeIndex(seed);
const loaded = loadIndex(bytes, papers, options);

const queries = [...loadSeedQueries().map(({ query }) => query), 'difusion', 'distilation', 'fine-tuning LLM', 'KD students'];
const typos = ['curiculum', 'distilaton', 'difusion modle', 'reinforcment learnin'];
const seedIds = ['online-prototype-learning-for-online-continual-learning', 'on-teacher-hacking-in-language-model-distillation'];

function paper(input: Partial<PaperInput> & { id: string }): Paper {
  return PaperSchema.parse({ title: input.id, source: 'test', ...input });
}

/** Everything a caller sees of a hit. */
function results(index: PaperIndex, query: string): unknown[] {
  return index.search(query, { limit: 20 }).map(({ paper, score, matched, snippet }) => ({ id: paper.id, score, matched, snippet }));
}

/** Rankings, "more like this" and suggestions, for comparing two indexes. */
function behaviour(index: PaperIndex): unknown {
  return {
    size: index.size,
    searches: queries.map((query) => results(index, query)),
    moreLike: seedIds.map((id) => index.moreLike(id).map((hit) => [hit.paper.id, hit.score, hit.matched])),
    suggestions: typos.map((query) => index.suggest(query)),
  };
}

/** Replaces one byte range of a copy of the bytes. */
function patched(source: Uint8Array, at: number, replacement: Uint8Array): Uint8Array {
  const copy = source.slice();
  copy.set(replacement, at);
  return copy;
}

describe('serializeIndex and loadIndex', () => {
  it('load an index that ranks, matches, snippets and suggests exactly as the original', () => {
    expect(queries.length).toBeGreaterThan(20);
    expect(results(seed, 'distillation').length).toBeGreaterThan(0);
    expect(behaviour(loaded)).toEqual(behaviour(seed));
  });

  it('keeps the paper objects it is given, in any order', () => {
    const shuffled = loadIndex(bytes, [...papers].reverse(), options);
    expect(behaviour(shuffled)).toEqual(behaviour(seed));
    expect(shuffled.get(papers[0]!.id)).toBe(papers[0]);
  });

  it('load prefix search and other scoring options as given at load', () => {
    const prefixed = { ...options, prefix: true, fieldScoring: 'bm25f' as const };
    expect(behaviour(loadVariantIndex(bytes, papers, prefixed))).toEqual(behaviour(buildVariantIndex(papers, prefixed)));
  });

  it('write the same bytes again from a loaded index', () => {
    expect(Buffer.from(serializeIndex(loaded)).equals(Buffer.from(bytes))).toBe(true);
  });

  it('compact an index with replaced papers without changing its rankings', () => {
    const index = buildIndex(papers, options);
    const replaced = papers.slice(0, 40).map((old) => ({ ...old, abstract: `${old.abstract} Revised with diffusion distillation.` }));
    const added = [paper({ id: 'new-1', title: 'Curriculum distillation for diffusion models' })];
    index.upsert(replaced);
    index.upsert(added);
    const current = [...replaced, ...papers.slice(40), ...added];
    const compacted = serializeIndex(index);
    expect(behaviour(loadIndex(compacted, current, options))).toEqual(behaviour(index));
  });

  it('load an index that takes upserts as the original does', () => {
    const original = buildIndex(papers, options);
    const restored = loadIndex(bytes, papers, options);
    const changes = [
      paper({
        id: 'fresh',
        title: 'Curriculum learning for diffusion distillation',
        abstract: 'We distil diffusion models with a curriculum.',
      }),
      { ...papers[3]!, title: 'Protein folding with graph rewiring' },
    ];
    original.upsert(changes);
    restored.upsert(changes);
    expect(restored.size).toBe(papers.length + 1);
    expect(restored.search('protein folding rewiring')[0]?.paper.id).toBe(papers[3]!.id);
    expect(behaviour(restored)).toEqual(behaviour(original));
  });

  it('round-trip an empty index', () => {
    const empty = loadIndex(serializeIndex(buildIndex([])), []);
    expect(empty.size).toBe(0);
    expect(empty.search('anything')).toEqual([]);
    empty.upsert([paper({ id: 'p', title: 'Weather forecasting' })]);
    expect(empty.search('weather').map((hit) => hit.paper.id)).toEqual(['p']);
  });
});

describe('loadIndex refuses', () => {
  it('bytes that are not an index', () => {
    expect(() => loadIndex(new TextEncoder().encode('{"papers":[]}'), papers)).toThrow(/not a serialized Paperboy index/);
  });

  it('another format version', () => {
    const version = new Uint8Array(4);
    new DataView(version.buffer).setUint32(0, 99, true);
    expect(() => loadIndex(patched(bytes, 4, version), papers, options)).toThrow(/format version 99 is not supported .*reads version 3/);
  });

  it('other analysis options', () => {
    expect(() => loadVariantIndex(bytes, papers, { stopWords: null })).toThrow(/built with other analysis options/);
    expect(() => loadVariantIndex(bytes, papers, { compounds: 'join' })).toThrow(/built with other analysis options/);
  });

  it('a paper list missing an indexed paper', () => {
    expect(() => loadIndex(bytes, papers.slice(1), options)).toThrow(
      new RegExp(`1 indexed papers are not among the papers given \\(${papers[0]!.id}\\)`),
    );
  });

  it('a paper list with a paper the index lacks', () => {
    expect(() => loadIndex(bytes, [...papers, paper({ id: 'stranger' })], options)).toThrow(
      /1 papers given are not in the index \(stranger\)/,
    );
  });

  it('a paper whose text changed since it was indexed', () => {
    const changed = papers.map((old, i) => (i === 5 ? { ...old, abstract: `${old.abstract} More.` } : old));
    expect(() => loadIndex(bytes, changed, options)).toThrow(new RegExp(`text of paper ${papers[5]!.id} differs`));
  });

  it('truncated bytes', () => {
    expect(() => loadIndex(bytes.subarray(0, bytes.length - 10), papers, options)).toThrow(/end early/);
  });
});
