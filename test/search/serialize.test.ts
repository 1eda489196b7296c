import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSeedQueries } from '../../bench/lib/evaluate.js';
import { loadCorpus } from '../../src/papers/corpus.js';
import { PaperSchema, type Paper, type PaperInput } from '../../src/papers/paper.js';
import { DEFAULT_CORPUS } from '../../src/paths.js';
import { buildIndex, loadIndex, serializeIndex, type IndexOptions, type PaperIndex } from '../../src/search/index.js';
import { indexFileMeta, indexMeta, loadIndexFile, streamIndex } from '../../src/search/serialize.js';
import { buildVariantIndex, loadVariantIndex } from '../../src/search/variants.js';

const options: IndexOptions = { now: () => new Date('2026-11-27T12:00:00Z') };
const papers = loadCorpus(DEFAULT_CORPUS).papers;
const seed = buildIndex(papers, options);
const bytes = serializeIndex(seed);
const loaded = loadIndex(bytes, options);

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

  it('carry the papers themselves, field for field, and the meta they were saved with', () => {
    for (const original of papers) expect(loaded.get(original.id)).toEqual(original);
    expect([...loaded.all()].map(({ id }) => id).sort()).toEqual(papers.map(({ id }) => id).sort());
    const withMeta = serializeIndex(seed, { cursor: 'abc.12', corpus: 'f00d' });
    expect(indexMeta(withMeta, options)).toEqual({ cursor: 'abc.12', corpus: 'f00d' });
    expect(indexMeta(bytes, options)).toEqual({});
  });

  it('load from bytes at any offset in memory (a copy when a section is not aligned)', () => {
    const shifted = new Uint8Array(bytes.byteLength + 3);
    shifted.set(bytes, 3);
    expect(behaviour(loadIndex(shifted.subarray(3), options))).toEqual(behaviour(seed));
  });

  it('load prefix search and other scoring options as given at load', () => {
    const prefixed = { ...options, prefix: true, fieldScoring: 'bm25f' as const };
    expect(behaviour(loadVariantIndex(bytes, prefixed))).toEqual(behaviour(buildVariantIndex(papers, prefixed)));
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
    index.remove([papers[41]!.id]);
    const compacted = loadIndex(serializeIndex(index), options);
    expect(behaviour(compacted)).toEqual(behaviour(index));
    expect(compacted.get(papers[0]!.id)).toEqual(replaced[0]);
    expect(compacted.get(papers[41]!.id)).toBeUndefined();
  });

  it('load an index that takes upserts as the original does', () => {
    const original = buildIndex(papers, options);
    const restored = loadIndex(bytes, options);
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

  it('stream the bytes serializeIndex writes, of the index as it stood at the first part', async () => {
    const index = buildIndex(papers, options);
    const stream = streamIndex(index, () => ({ cursor: 'store.1' }));
    const parts: Uint8Array[] = [];
    const first = await stream.next();
    if (!first.done) parts.push(first.value);
    // Search goes on, and papers arrive, while it is saved: they are not in these bytes.
    index.upsert([paper({ id: 'late', title: 'A late arrival on distillation' }), { ...papers[1]!, title: 'Retitled' }]);
    index.remove([papers[0]!.id]);
    expect(index.search('late arrival')[0]?.paper.id).toBe('late');
    for await (const part of stream) parts.push(part);
    const streamed = Buffer.concat(parts);
    expect(streamed.equals(Buffer.from(serializeIndex(buildIndex(papers, options), { cursor: 'store.1' })))).toBe(true);
    const saved = loadIndex(streamed, options);
    expect(saved.get('late')).toBeUndefined();
    expect(saved.get(papers[0]!.id)).toEqual(papers[0]);
    expect(saved.get(papers[1]!.id)).toEqual(papers[1]);
  });

  it('load from a file, reading papers from it until they are in memory, whatever becomes of the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'paperboy-serialize-'));
    try {
      const file = join(dir, 'seed.index');
      writeFileSync(file, bytes);
      const { index: fromFile, papersInMemory } = loadIndexFile(file, options);
      // Served at once, reading the papers from the file (the background read needs the event loop).
      expect(behaviour(fromFile)).toEqual(behaviour(seed));
      expect(indexFileMeta(file, options)).toEqual({});
      // A newer snapshot renamed over the file (as the persister saves): this index keeps its own.
      const other = join(dir, 'other.index');
      writeFileSync(other, serializeIndex(buildIndex([paper({ id: 'only', title: 'Only paper' })], options)));
      renameSync(other, file);
      expect(fromFile.get(papers[7]!.id)).toEqual(papers[7]);
      await papersInMemory;
      expect(behaviour(fromFile)).toEqual(behaviour(seed));
      // It takes new and replaced papers as any index does.
      fromFile.upsert([paper({ id: 'fresh', title: 'Fresh distillation paper' }), { ...papers[2]!, title: 'Retitled paper' }]);
      expect(fromFile.get('fresh')?.title).toBe('Fresh distillation paper');
      expect(fromFile.get(papers[2]!.id)?.title).toBe('Retitled paper');
      expect(fromFile.search('retitled')[0]?.paper.id).toBe(papers[2]!.id);

      writeFileSync(file, bytes.subarray(0, bytes.byteLength - 100));
      expect(() => loadIndexFile(file, options)).toThrow(/inconsistent|end early/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('round-trip an empty index', () => {
    const empty = loadIndex(serializeIndex(buildIndex([])));
    expect(empty.size).toBe(0);
    expect(empty.search('anything')).toEqual([]);
    empty.upsert([paper({ id: 'p', title: 'Weather forecasting' })]);
    expect(empty.search('weather').map((hit) => hit.paper.id)).toEqual(['p']);
  });
});

describe('loadIndex refuses', () => {
  it('bytes that are not an index', () => {
    expect(() => loadIndex(new TextEncoder().encode('{"papers":[]}'))).toThrow(/not a serialized Paperboy index/);
  });

  it('another format version', () => {
    const version = new Uint8Array(4);
    new DataView(version.buffer).setUint32(0, 99, true);
    expect(() => loadIndex(patched(bytes, 4, version), options)).toThrow(/format version 99 is not supported .*reads version 4/);
  });

  it('other analysis options', () => {
    expect(() => loadVariantIndex(bytes, { stopWords: null })).toThrow(/built with other analysis options/);
    expect(() => loadVariantIndex(bytes, { compounds: 'join' })).toThrow(/built with other analysis options/);
  });

  it('bytes whose parts disagree (a corrupt paper length)', () => {
    // The first section after the header and ids is the papers' packed lengths: zero one of them.
    const corrupt = bytes.slice();
    const view = new DataView(corrupt.buffer);
    let at = 8;
    for (let section = 0; section < 2; section++) at += 4 + (view.getUint32(at, true) + padTo8(at + 4));
    at += 4 + padTo8(at + 4);
    view.setUint32(at, 0, true);
    expect(() => loadIndex(corrupt, options)).toThrow(/inconsistent/);
  });

  it('truncated bytes', () => {
    expect(() => loadIndex(bytes.subarray(0, bytes.length - 10), options)).toThrow(/end early/);
  });
});

/** Zero bytes after a section's length, to its 8-byte boundary. */
function padTo8(offset: number): number {
  return (8 - (offset % 8)) % 8;
}
