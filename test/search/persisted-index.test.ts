import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Logger } from '../../src/lib/logger.js';
import { loadCorpus } from '../../src/papers/corpus.js';
import type { Paper } from '../../src/papers/paper.js';
import { DEFAULT_CORPUS } from '../../src/paths.js';
import { indexPersister, openIndex, persistIndex } from '../../src/search/persisted-index.js';
import type { SharedIndexStore } from '../../src/search/shared-snapshot.js';

const dir = mkdtempSync(join(tmpdir(), 'paperboy-persisted-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const seed = loadCorpus(DEFAULT_CORPUS).papers;
const QUERIES = ['distillation', 'video generation', 'reasoning reinforcement learning', 'speculative decoding'];

function recorder(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const log = (level: string) => (message: string, fields?: Record<string, unknown>) =>
    void lines.push(`${level} ${message} ${JSON.stringify(fields ?? {})}`);
  return { logger: { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') }, lines };
}

const ranking = (index: ReturnType<typeof openIndex>['index']) =>
  QUERIES.map((query) => index.search(query, { limit: 10, prior: false }).map((hit) => [hit.paper.id, hit.score.toFixed(9)]));

const extra: Paper = {
  id: '2601.00001',
  title: 'Speculative decoding with tiny drafters',
  abstract: 'A tiny draft model proposes tokens that a large model verifies in parallel, doubling decoding speed.',
  authors: ['Ada Lovelace'],
  upvotes: 3,
  links: {},
  keywords: [],
  source: 'arxiv',
};

describe('openIndex', () => {
  it('builds without a snapshot, then loads the saved one with the same rankings', () => {
    const file = join(dir, 'a.index');
    const built = openIndex(seed, file, recorder().logger);
    expect(built).toMatchObject({ how: 'built', added: seed.length });
    persistIndex(built.index, file);
    const { logger, lines } = recorder();
    const loaded = openIndex(seed, file, logger);
    expect(loaded).toMatchObject({ how: 'snapshot', added: 0 });
    expect(loaded.index.size).toBe(seed.length);
    expect(ranking(loaded.index)).toEqual(ranking(built.index));
    expect(lines.some((line) => /^(info|debug) search index ready/.test(line) && line.includes('"how":"snapshot"'))).toBe(true);
  });

  it('indexes only the papers stored since the snapshot, and finds them', () => {
    const file = join(dir, 'b.index');
    persistIndex(openIndex(seed, undefined, recorder().logger).index, file);
    const loaded = openIndex([...seed, extra], file, recorder().logger);
    expect(loaded).toMatchObject({ how: 'snapshot', added: 1 });
    expect(loaded.index.search('tiny drafters speculative decoding')[0]?.paper.id).toBe(extra.id);
    // The same as an index built from scratch over the same papers.
    expect(ranking(loaded.index)).toEqual(ranking(openIndex([...seed, extra], undefined, recorder().logger).index));
  });

  it('builds, saying why, when the snapshot is corrupt, a paper it indexed is gone, or its text changed', () => {
    const file = join(dir, 'c.index');
    persistIndex(openIndex(seed, undefined, recorder().logger).index, file);
    const cases: Array<[string, Paper[], RegExp]> = [
      ['gone', seed.slice(1), /no longer stored/],
      ['changed', [{ ...seed[0]!, abstract: `${seed[0]!.abstract} Revised.` }, ...seed.slice(1)], /differs from the text indexed/],
    ];
    for (const [, papers, why] of cases) {
      const { logger, lines } = recorder();
      const opened = openIndex(papers, file, logger);
      expect(opened.how).toBe('built');
      expect(opened.index.size).toBe(papers.length);
      expect(lines.find((line) => line.startsWith('warn'))).toMatch(why);
    }
    writeFileSync(file, Buffer.from('PBIX garbage, truncated'));
    const { logger, lines } = recorder();
    expect(openIndex(seed, file, logger).how).toBe('built');
    expect(lines.find((line) => line.startsWith('warn'))).toMatch(/snapshot not used/);
  });
});

describe('indexPersister and the shared snapshot', () => {
  /** Records what is saved; its answers are the store contract's (tested against Postgres in test/store). */
  function sharedStore(savedAt: Date | undefined) {
    const saves: number[] = [];
    const store: SharedIndexStore = {
      latestIndexSnapshot: async () => undefined,
      indexSnapshotSavedAt: async () => savedAt,
      saveIndexSnapshot: async (bytes) => void saves.push(bytes.byteLength),
    };
    return { store, saves };
  }

  it('shares the snapshot when none is shared or the shared one is over six hours old, whichever replica saved it', async () => {
    const index = openIndex(seed, undefined, recorder().logger).index;
    for (const [savedAt, expected] of [
      [undefined, 1],
      [new Date(Date.now() - 7 * 3_600_000), 1],
      [new Date(Date.now() - 3_600_000), 0],
    ] as const) {
      const { store, saves } = sharedStore(savedAt);
      const persister = indexPersister(index, { shared: store }, recorder().logger, 0);
      persister.saveSoon();
      await new Promise((resolve) => setTimeout(resolve, 10));
      await persister.saved();
      expect(saves.length, `shared snapshot saved at ${savedAt?.toISOString()}`).toBe(expected);
    }
  });
});
