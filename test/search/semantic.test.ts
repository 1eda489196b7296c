import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerTopic } from '../../src/answer/topic-answer.js';
import { createAnswerer } from '../../src/answer/index.js';
import { loadSettings } from '../../src/config.js';
import type { Logger } from '../../src/lib/logger.js';
import { PaperSchema, type Paper, type PaperInput } from '../../src/papers/paper.js';
import { fuseRankings, searchPapers } from '../../src/search/hybrid.js';
import { buildIndex } from '../../src/search/index.js';
import { createSemanticSearch } from '../../src/search/semantic-start.js';
import type { SearchOptions } from '../../src/search/types.js';
import type { AppStore } from '../../src/store/open.js';
import { openPostgresStore } from '../../src/store/postgres.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import { startEmbeddingsServer, type EmbeddingsTestServer } from '../support/embeddings-server.js';

function paper(input: Partial<PaperInput> & { id: string }): Paper {
  return PaperSchema.parse({ title: input.id, source: 'test', ...input });
}

const PAPERS = [
  paper({ id: 'kd', title: 'Compact student imitates teacher', abstract: 'A tiny student is trained to mimic a large teacher.' }),
  paper({ id: 'fold', title: 'Protein folding', abstract: 'Attention over residues predicts protein structure.' }),
  paper({ id: 'graph', title: 'Graph networks for molecules', abstract: 'We train graph networks on molecular graphs of atoms.' }),
];
const PARAPHRASE = 'how can smaller ones learn from bigger';

function recordingLogger(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  return { warnings, debug() {}, info() {}, warn: (message) => void warnings.push(message), error() {} };
}

let server: EmbeddingsTestServer;
beforeAll(async () => {
  server = await startEmbeddingsServer();
});
afterAll(() => server.close());

const settings = (timeout = 500) =>
  loadSettings({
    OPENAI_EMBEDDINGS_MODEL: 'fake-embed',
    OPENAI_EMBEDDINGS_BASE_URL: server.baseURL,
    OPENAI_EMBEDDINGS_TIMEOUT_MS: String(timeout),
  });

const backends: Array<[string, () => Promise<{ open: () => Promise<AppStore> }>]> = [
  [
    'SQLite file',
    async () => {
      const file = join(mkdtempSync(join(tmpdir(), 'paperboy-embed-')), 'paperboy.db');
      return { open: async () => openSqliteStore(file) };
    },
  ],
];
const pgUrl = process.env.PAPERBOY_TEST_DATABASE_URL;
if (pgUrl) {
  backends.push([
    'Postgres',
    async () => {
      const schema = `embed_${Math.random().toString(36).slice(2, 10)}`;
      return { open: () => openPostgresStore(pgUrl, { schema }) };
    },
  ]);
}

describe.each(backends)('semantic retrieval on %s', (_name, backend) => {
  it('embeds each paper once, stores it, and a restart embeds nothing new', async () => {
    const { open } = await backend();
    server.requests.length = 0;
    const first = await open();
    const semantic = createSemanticSearch(settings(), first, recordingLogger())!;
    expect(await semantic.addPapers(PAPERS)).toEqual({ reused: 0, embedded: 3 });
    expect(server.requests).toHaveLength(1); // one batch
    await first.close();

    const second = await open();
    const restarted = createSemanticSearch(settings(), second, recordingLogger())!;
    expect(await restarted.addPapers(PAPERS)).toEqual({ reused: 3, embedded: 0 });
    expect(server.requests).toHaveLength(1);
    expect(restarted.size).toBe(3);
    // A changed abstract is embedded again; nothing else is.
    const changed = [{ ...PAPERS[0]!, abstract: 'A tiny student copies a large teacher.' }, ...PAPERS.slice(1)];
    expect(await restarted.addPapers(changed)).toEqual({ reused: 2, embedded: 1 });
    await second.close();
  });
});

describe('hybrid search', () => {
  it('finds a paraphrase with no word in common through the dense side', async () => {
    const store = openSqliteStore(':memory:');
    const index = buildIndex(PAPERS);
    expect(index.search(PARAPHRASE)).toEqual([]);
    const semantic = createSemanticSearch(settings(), store, recordingLogger())!;
    await semantic.addPapers(PAPERS);
    const hits = await searchPapers(PARAPHRASE, { index, semantic });
    expect(hits[0]!.paper.id).toBe('kd');
    expect(hits[0]!.matched).toEqual([]);
    const answer = await answerTopic(PARAPHRASE, { index, answerer: createAnswerer({ cache: store }), semantic });
    expect(answer?.hits[0]?.paper.id).toBe('kd');
    await store.close();
  });

  it("applies the search's filters to the dense side too, and leaves out papers no longer indexed", async () => {
    const store = openSqliteStore(':memory:');
    const index = buildIndex(PAPERS);
    const semantic = createSemanticSearch(settings(), store, recordingLogger())!;
    await semantic.addPapers(PAPERS);
    const ids = async (options: SearchOptions) => (await searchPapers(PARAPHRASE, { index, semantic }, options)).map((hit) => hit.paper.id);
    expect(await ids({})).toContain('kd');
    expect(await ids({ minUpvotes: 1 })).toEqual([]);
    expect(await ids({ exclude: ['kd'] })).not.toContain('kd');
    expect(await ids({ only: ['fold'] })).toEqual(['fold']);
    index.remove(['kd']);
    expect(await ids({})).not.toContain('kd');
    await store.close();
  });

  it.each(['fail', 'hang'] as const)('falls back to lexical when the embeddings server %ss, warning once', async (mode) => {
    const store = openSqliteStore(':memory:');
    const index = buildIndex(PAPERS);
    const logger = recordingLogger();
    const semantic = createSemanticSearch(settings(300), store, logger)!;
    await semantic.addPapers(PAPERS);
    server.mode = mode;
    try {
      const lexical = index.search('protein folding');
      for (let i = 0; i < 2; i++) {
        const hits = await searchPapers('protein folding', { index, semantic });
        expect(hits.map((hit) => hit.paper.id)).toEqual(lexical.map((hit) => hit.paper.id));
      }
      expect(logger.warnings).toHaveLength(1);
    } finally {
      server.mode = 'ok';
      await store.close();
    }
  });

  it('without an embeddings model takes the lexical path synchronously, with no request', () => {
    const index = buildIndex(PAPERS);
    server.requests.length = 0;
    const found = searchPapers('protein folding', { index });
    expect(Array.isArray(found)).toBe(true);
    expect(found).toEqual(index.search('protein folding'));
    const answer = answerTopic('protein folding', { index, answerer: createAnswerer({ cache: openSqliteStore(':memory:') }) });
    expect(answer).not.toBeInstanceOf(Promise);
    expect(server.requests).toHaveLength(0);
    expect(createSemanticSearch(loadSettings({}), openSqliteStore(':memory:'), recordingLogger())).toBeUndefined();
  });

  it('fuses by reciprocal rank with k = 60', () => {
    const fused = fuseRankings([
      ['a', 'b'],
      ['b', 'c'],
    ]);
    expect(fused.map((entry) => entry.id)).toEqual(['b', 'a', 'c']);
    expect(fused[0]!.score).toBeCloseTo(1 / 62 + 1 / 61);
  });
});
