import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Logger } from '../../src/lib/logger.js';
import { loadCorpus } from '../../src/papers/corpus.js';
import type { Paper } from '../../src/papers/paper.js';
import { DEFAULT_CORPUS } from '../../src/paths.js';
import type { Corpus } from '../../src/papers/corpus.js';
import { corpusDigest, indexPersister, openIndex, saveIndexFile } from '../../src/search/persisted-index.js';
import { indexMeta, loadIndex } from '../../src/search/serialize.js';
import type { SharedIndexStore } from '../../src/search/shared-snapshot.js';
import type { PaperIndex } from '../../src/search/types.js';
import { openSqliteStore } from '../../src/store/sqlite.js';

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

const ranking = (index: PaperIndex) =>
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

const corpus: Corpus = { file: DEFAULT_CORPUS, papers: seed, issues: [] };
const origin = (cursor?: string) => ({ corpus: corpusDigest(seed), ...(cursor === undefined ? {} : { cursor }) });
let stores = 0;
const newStore = () => openSqliteStore(join(dir, `store-${++stores}.db`));

describe('openIndex', () => {
  it('builds without a snapshot, then loads the saved one (papers included) with the same rankings', async () => {
    const file = join(dir, 'a.index');
    const built = await openIndex({ corpus }, { file }, recorder().logger);
    expect(built).toMatchObject({ how: 'built', added: seed.length, fromStore: 0 });
    await saveIndexFile(built.index, file, () => origin());
    const { logger, lines } = recorder();
    const loaded = await openIndex({ corpus }, { file }, logger);
    expect(loaded).toMatchObject({ how: 'snapshot', added: 0 });
    expect(loaded.index.size).toBe(seed.length);
    expect(loaded.index.get(seed[0]!.id)).toEqual(seed[0]);
    expect(ranking(loaded.index)).toEqual(ranking(built.index));
    expect(lines.some((line) => /^(info|debug) search index ready/.test(line) && line.includes('"how":"snapshot"'))).toBe(true);
  });

  it('reads from the store only what its change feed wrote since the snapshot, an ingested copy replacing the seed’s', async () => {
    const store = newStore();
    try {
      const file = join(dir, 'b.index');
      const first = await openIndex({ corpus, store }, { file }, recorder().logger);
      expect(first.how).toBe('built');
      await saveIndexFile(first.index, file, () => origin(first.cursor));
      const ingestedSeed = { ...seed[0]!, id: '2503.00042' };
      await store.upsertPapers([extra, ingestedSeed]);

      const loaded = await openIndex({ corpus, store }, { file }, recorder().logger);
      expect(loaded).toMatchObject({ how: 'snapshot', added: 2, fromStore: 2 });
      expect(loaded.index.search('tiny drafters speculative decoding')[0]?.paper.id).toBe(extra.id);
      expect(loaded.index.get(seed[0]!.id)).toBeUndefined();
      // The same as an index built from scratch over the same papers.
      const rebuilt = await openIndex({ corpus, store }, {}, recorder().logger);
      expect(rebuilt).toMatchObject({ how: 'built', fromStore: 2 });
      expect(ranking(loaded.index)).toEqual(ranking(rebuilt.index));
      // Its cursor continues the feed: nothing is read twice, nothing missed.
      expect((await store.papersChangedSince(loaded.cursor!)).papers).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it('builds, saying why, from a snapshot of another store, another corpus file, or a corrupt one', async () => {
    const [mine, other] = [newStore(), newStore()];
    try {
      const file = join(dir, 'c.index');
      const foreign = await openIndex({ corpus, store: other }, {}, recorder().logger);
      const cases: Array<[string, () => Promise<unknown>, RegExp]> = [
        ['another store', () => saveIndexFile(foreign.index, file, () => origin(foreign.cursor)), /another store/],
        [
          'another corpus',
          () => saveIndexFile(foreign.index, file, () => ({ ...origin(foreign.cursor), corpus: 'beefbeefbeefbeef' })),
          /another version of the corpus/,
        ],
        ['a corpus alone', () => saveIndexFile(foreign.index, file, () => origin()), /corpus file alone/],
        ['corrupt', async () => writeFileSync(file, Buffer.from('PBIX garbage, truncated')), /snapshot not used/],
      ];
      for (const [name, save, why] of cases) {
        await save();
        const { logger, lines } = recorder();
        const opened = await openIndex({ corpus, store: mine }, { file }, logger);
        expect(opened.how, name).toBe('built');
        expect(opened.index.size).toBe(seed.length);
        expect(
          lines.find((line) => line.startsWith('warn')),
          name,
        ).toMatch(why);
      }
    } finally {
      await Promise.all([mine.close(), other.close()]);
    }
  });
});

describe('indexPersister and the shared snapshot', () => {
  /** Records what is saved; its answers are the store contract's (tested against Postgres in test/store). */
  function sharedStore(savedAt: Date | undefined) {
    const saves: Buffer[] = [];
    const store: SharedIndexStore = {
      latestIndexSnapshot: async () => undefined,
      indexSnapshotSavedAt: async () => savedAt,
      saveIndexSnapshot: async (parts) => {
        const bytes: Uint8Array[] = [];
        for await (const part of parts) bytes.push(part);
        saves.push(Buffer.concat(bytes));
      },
    };
    return { store, saves };
  }

  it('shares the snapshot when none is shared or the shared one is over six hours old, whichever replica saved it', async () => {
    const { index } = await openIndex({ corpus }, {}, recorder().logger);
    for (const [savedAt, expected] of [
      [undefined, 1],
      [new Date(Date.now() - 7 * 3_600_000), 1],
      [new Date(Date.now() - 3_600_000), 0],
    ] as const) {
      const { store, saves } = sharedStore(savedAt);
      const persister = indexPersister(index, { shared: store }, recorder().logger, () => origin(), 0);
      persister.saveSoon();
      await new Promise((resolve) => setTimeout(resolve, 10));
      await persister.saved();
      expect(saves.length, `shared snapshot saved at ${savedAt?.toISOString()}`).toBe(expected);
    }
  });

  it('serializes once for the file and the store, with the origin as it stood when saving began', async () => {
    const { index } = await openIndex({ corpus }, {}, recorder().logger);
    const { store, saves } = sharedStore(undefined);
    const file = join(dir, 'persisted.index');
    let serialized = 0;
    const counted = () => {
      serialized++;
      return origin('c.1');
    };
    const persister = indexPersister(index, { file, shared: store }, recorder().logger, counted, 0);
    persister.saveSoon();
    await new Promise((resolve) => setTimeout(resolve, 10));
    await persister.saved();
    expect(saves).toHaveLength(1);
    // Serialized once: the store gets the file just written.
    expect(serialized).toBe(1);
    expect(readFileSync(file).equals(saves[0]!)).toBe(true);
    expect(indexMeta(saves[0]!)).toEqual(origin('c.1'));
    expect(ranking(loadIndex(saves[0]!))).toEqual(ranking(index));

    // A file that cannot be written is logged; the store still gets its copy.
    const { logger, lines } = recorder();
    const unwritable = sharedStore(undefined);
    const failing = indexPersister(
      index,
      { file: join(dir, 'missing', 'x.index'), shared: unwritable.store },
      logger,
      () => origin('c.2'),
      0,
    );
    failing.saveSoon();
    await new Promise((resolve) => setTimeout(resolve, 10));
    await failing.saved();
    expect(lines.find((line) => line.startsWith('warn'))).toMatch(/search index not saved/);
    expect(unwritable.saves).toHaveLength(1);
  });
});
