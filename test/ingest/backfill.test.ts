import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { ingest } from '../../src/cli/commands/ingest.js';
import { parseCommandLine } from '../../src/cli/flags.js';
import type { CliIo } from '../../src/cli/io.js';
import { loadSettings, SettingsError } from '../../src/config.js';
import { datesBetween, storePapers } from '../../src/ingest/ingest.js';
import type { PaperSource } from '../../src/ingest/source.js';
import { silentLogger } from '../../src/lib/logger.js';
import { PaperSchema, type Paper } from '../../src/papers/paper.js';
import { createRefresher } from '../../src/runtime/refresh.js';
import { buildIndex } from '../../src/search/index.js';
import type { AppStore } from '../../src/store/open.js';
import { openPostgresStore } from '../../src/store/postgres.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import { projectRoot } from '../../src/paths.js';
import { recordedDay, startHfServer, type HfServer } from '../support/hf-server.js';

const dir = mkdtempSync(join(tmpdir(), 'paperboy-backfill-'));
const pgUrl = process.env.PAPERBOY_TEST_DATABASE_URL;
const schemas: string[] = [];
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  if (!pgUrl || !schemas.length) return;
  const admin = new pg.Pool({ connectionString: pgUrl, max: 1 });
  for (const schema of schemas) await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await admin.end();
});

/** Real Daily Papers responses (../shared/benchmarks/hf-daily, see its PROVENANCE.md): 2024-05-27 on, weekends empty as on the Hub. */
const CAPTURES = new Map(
  gunzipSync(readFileSync(join(import.meta.dirname, '../../../shared/benchmarks/hf-daily/days.jsonl.gz')))
    .toString('utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { date: string; items: unknown[] })
    .map(({ date, items }) => [date, items] as const),
);
const SINCE = '2024-05-27';
const TODAY = '2024-07-05'; // 40 days, long past: each one closed once fetched whole
const DATES = datesBetween(SINCE, TODAY);

const backends: Array<[string, () => Promise<AppStore>]> = [
  ['SQLite', async () => openSqliteStore(join(dir, `${randomBytes(4).toString('hex')}.db`))],
];
if (pgUrl) {
  backends.push([
    'Postgres',
    async () => {
      const schema = `paperboy_test_${randomBytes(6).toString('hex')}`;
      schemas.push(schema);
      return openPostgresStore(pgUrl, { schema, poolSize: 2 });
    },
  ]);
}

function io(hub: HfServer, store: AppStore) {
  const lines = { out: [] as string[], err: [] as string[] };
  const cli: CliIo = {
    out: (text) => lines.out.push(text),
    err: (text) => lines.err.push(text),
    settings: loadSettings({ HF_ENDPOINT: hub.url }),
    store: async () => store,
    answerer: () => Promise.reject(new Error('not used')),
  };
  return { cli, lines };
}

/** Everything a backfill writes, in a comparable form (timestamps left out). */
async function contents(store: AppStore) {
  return {
    papers: (await store.allPapers()).sort((a, b) => a.id.localeCompare(b.id)),
    trending: await Promise.all(DATES.map((date) => store.trendingOn(date))),
    closed: [...(await store.daysHeld(SINCE, TODAY)).closed].sort(),
    hfDays: [...(await store.sourceDaysDone('hf', SINCE, TODAY))].sort(),
  };
}

async function backfill(hub: HfServer, store: AppStore, signal?: AbortSignal, sleeps: number[] = []) {
  const { cli, lines } = io(hub, store);
  const { flags } = parseCommandLine(['ingest', '--since', SINCE]);
  const code = await ingest(flags, cli, cli.store, TODAY, signal, async (ms) => void sleeps.push(ms));
  return { code, ...lines };
}

describe.each(backends)('paperboy ingest --since on %s', (_name, open) => {
  it('backfills every day, paced at the Hub rate limit, and a second run fetches nothing and changes nothing', async () => {
    const hub = await startHfServer(Object.fromEntries(CAPTURES));
    const store = await open();
    try {
      const sleeps: number[] = [];
      const first = await backfill(hub, store, undefined, sleeps);
      expect(first.code).toBe(0);
      const papers = DATES.reduce((sum, date) => sum + (CAPTURES.get(date)?.length ?? 0), 0);
      expect(first.out.join('\n')).toBe(`Hugging Face: stored ${papers} papers from 40 of 40 days.`);
      // A log gets a line per 10 days in a long backfill, with the rate and the time left.
      expect(first.err.join('\n')).toMatch(/^2024-06-05: 8 papers \(1 page\) \(10\/40 days · [\d.]+ days\/min · about \d+ s left\)$/m);
      // One request per day (fewer than 100 items each), each after the pause the Hub's limits ask.
      expect(hub.requests).toHaveLength(40);
      // (The recorded waits do not pass, so each request after the first waits the whole 0.75 s,
      // 400 requests per 5 minutes, 80% of the Hub's limit.)
      expect(sleeps.filter((ms) => ms > 650 && ms <= 751).length).toBeGreaterThanOrEqual(38);
      expect(Math.max(...sleeps)).toBeLessThanOrEqual(751);
      const after = await contents(store);
      expect(after.closed).toEqual(DATES);
      expect(after.hfDays).toEqual(DATES);
      expect(after.trending[0]!.map((paper) => paper.trending!.rank)).toEqual(
        [...Array(CAPTURES.get(SINCE)!.length).keys()].map((i) => i + 1),
      );

      hub.requests.length = 0;
      const second = await backfill(hub, store);
      expect(second.code).toBe(0);
      expect(hub.requests).toHaveLength(0);
      expect(second.err.join('\n')).toContain('Hugging Face: 40 days already ingested, skipped.');
      expect(await contents(store)).toEqual(after);
    } finally {
      await store.close();
      await hub.close();
    }
  }, 60_000);

  it('interrupted after 12 days, a rerun continues where it stopped and ends with the store of an uninterrupted run', async () => {
    const hub = await startHfServer(Object.fromEntries(CAPTURES));
    const [whole, interrupted] = [await open(), await open()];
    try {
      await backfill(hub, whole);
      hub.requests.length = 0;
      const stop = new AbortController();
      const asked = new Set<string>();
      const watch = setInterval(() => {
        for (const request of hub.requests) asked.add(request.url.searchParams.get('date')!);
        if (asked.size >= 12) stop.abort();
      }, 1);
      const first = await backfill(hub, interrupted, stop.signal).finally(() => clearInterval(watch));
      expect(first.code).toBe(130);
      expect(first.err.join('\n')).toMatch(/Stopped after 2024-06-\d\d: run the same command again to continue where it stopped\./);
      const fetchedBefore = new Set(hub.requests.map((request) => request.url.searchParams.get('date')!));
      expect(fetchedBefore.size).toBeLessThan(40);
      hub.requests.length = 0;
      const rerun = await backfill(hub, interrupted);
      expect(rerun.code).toBe(0);
      const fetchedAfter = hub.requests.map((request) => request.url.searchParams.get('date')!);
      // Nothing fetched twice: the rerun starts at the first day the interrupted run had not finished.
      expect(fetchedAfter.filter((date) => fetchedBefore.has(date))).toEqual([]);
      expect(fetchedBefore.size + fetchedAfter.length).toBe(40);
      expect(await contents(interrupted)).toEqual(await contents(whole));
    } finally {
      await whole.close();
      await interrupted.close();
      await hub.close();
    }
  }, 60_000);

  it('a Daily Papers copy and an arXiv copy of one paper are one paper, merged field-wise, the same in both orders but for where it was first seen', async () => {
    const hfCopy = PaperSchema.parse(hubPaper());
    const arxivCopy = arxivShaped(hfCopy);
    const results: Paper[][] = [];
    for (const order of [
      [hfCopy, arxivCopy],
      [arxivCopy, hfCopy],
    ]) {
      const store = await open();
      const index = buildIndex([]);
      try {
        for (const paper of order) await storePapers([paper], { store, index });
        const stored = await store.papersByIds([hfCopy.id, 'not-there']);
        expect(stored).toHaveLength(1);
        expect((await store.allPapers()).filter((paper) => paper.id === hfCopy.id)).toHaveLength(1);
        expect(index.size).toBe(1);
        expect(index.get(hfCopy.id)).toEqual(stored[0]);
        results.push(stored);
      } finally {
        await store.close();
      }
    }
    const [hfFirst, arxivFirst] = results.map(([paper]) => paper!);
    expect(hfFirst!.source).toBe('hf-daily-papers');
    expect(arxivFirst!.source).toBe('arxiv');
    expect({ ...hfFirst, source: '' }).toEqual({ ...arxivFirst, source: '' });
    // The index keeps the day it trended: an arXiv record arriving later does not erase it.
    expect(hfFirst).toMatchObject({
      upvotes: hfCopy.upvotes,
      aiSummary: hfCopy.aiSummary,
      keywords: hfCopy.keywords,
      categories: ['cs.CV', 'cs.AI'],
      publishedAt: '2025-03-21',
      abstract: arxivCopy.abstract,
      links: { page: hfCopy.links.page, code: hfCopy.links.code, arxiv: hfCopy.links.arxiv },
      trending: hfCopy.trending,
    });
  }, 30_000);
});

describe('Ctrl-C during paperboy ingest --since', () => {
  it('stops after the day under way, says how to resume, exits 130, and the days done stay done', async () => {
    const hub = await startHfServer(Object.fromEntries(CAPTURES));
    const db = join(dir, 'sigint.db');
    const { spawn } = await import('node:child_process');
    const child = spawn(process.execPath, [join(projectRoot, 'dist', 'src', 'cli.js'), 'ingest', '--since', SINCE], {
      env: { PATH: process.env.PATH ?? '', HOME: dir, PAPERBOY_DB: db, HF_ENDPOINT: hub.url },
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    try {
      // Paced at one request a second: interrupt once the second day has been asked for.
      const started = Date.now();
      while (hub.requests.length < 2 && Date.now() - started < 20_000) await new Promise((resolve) => setTimeout(resolve, 50));
      child.kill('SIGINT');
      const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
      expect(code).toBe(130);
      expect(stderr).toMatch(/Stopped after 2024-05-2[89]: run the same command again to continue where it stopped\./);
      const store = openSqliteStore(db);
      try {
        const done = await store.sourceDaysDone('hf', SINCE, TODAY);
        expect(done.size).toBeGreaterThanOrEqual(2);
        expect(done.size).toBe(hub.requests.length);
      } finally {
        await store.close();
      }
    } finally {
      child.kill();
      await hub.close();
    }
  }, 30_000);
});

describe('PAPERBOY_SOURCES', () => {
  it('defaults to hf, reads a comma list, and refuses an unknown name naming the known ones', () => {
    expect(loadSettings({}).PAPERBOY_SOURCES).toEqual(['hf']);
    expect(loadSettings({ PAPERBOY_SOURCES: ' HF , hf,arxiv' }).PAPERBOY_SOURCES).toEqual(['hf', 'arxiv']);
    expect(() => loadSettings({ PAPERBOY_SOURCES: 'hf,semantic-scholar' })).toThrow(SettingsError);
    expect(() => loadSettings({ PAPERBOY_SOURCES: 'hf,semantic-scholar' })).toThrow(
      /PAPERBOY_SOURCES.*: expected source names among hf, arxiv/,
    );
    expect(() => loadSettings({ PAPERBOY_SOURCES: ',' })).toThrow(/PAPERBOY_SOURCES/);
  });
});

describe('the hourly refresh over several sources', () => {
  it('a source failing does not stop the others; the trending source alone moves the digest bookkeeping', async () => {
    const store = openSqliteStore(join(dir, 'refresh.db'));
    const now = () => new Date('2025-03-29T10:00:00Z');
    const asked: string[] = [];
    const down: PaperSource = {
      name: 'down',
      trending: false,
      fetchDay: async (date) => {
        asked.push(`down ${date}`);
        throw new Error('down is unavailable');
      },
    };
    const plain: PaperSource = {
      name: 'plain',
      trending: false,
      fetchDay: async (date) => {
        asked.push(`plain ${date}`);
        const papers = date === '2025-03-28' ? [arxivShaped(PaperSchema.parse(hubPaper()))] : [];
        return { date, papers, skipped: 0, skipReasons: {} };
      },
    };
    try {
      const index = buildIndex([]);
      // Daily Papers unreachable too: three sources, two failing.
      const hf = { endpoint: 'http://127.0.0.1:9', attempts: 1 };
      const refresher = await createRefresher({ store, index, hf, others: [down, plain], logger: silentLogger, now });
      await refresher.run();
      expect(asked.sort()).toEqual(['down 2025-03-28', 'down 2025-03-29', 'plain 2025-03-28', 'plain 2025-03-29']);
      expect(index.size).toBe(1);
      expect(refresher.state()).toMatchObject({ kind: 'failed' });
      expect(await store.sourceDaysDone('plain', '2025-03-28', '2025-03-29')).toEqual(new Set(['2025-03-28']));
      expect((await store.daysHeld('2025-03-28', '2025-03-29')).closed.size).toBe(0);
      expect(refresher.latestDay()).toBeUndefined();
    } finally {
      await store.close();
    }
  });
});

/** The first item of the recorded day (test/fixtures/hf), as the HF source maps it. */
function hubPaper() {
  const [item] = recordedDay('2025-03-28') as Array<{ paper: { id: string; title: string; summary: string; upvotes: number } }>;
  const paper = item!.paper;
  return {
    id: paper.id,
    title: paper.title,
    abstract: paper.summary.replace(/\s+/g, ' ').trim(),
    authors: ['Author 1 One', 'Author 1 Two'],
    publishedAt: '2025-03-24',
    upvotes: paper.upvotes,
    links: {
      page: `https://huggingface.co/papers/${paper.id}`,
      arxiv: `https://arxiv.org/abs/${paper.id}`,
      pdf: `https://arxiv.org/pdf/${paper.id}`,
      code: 'https://github.com/example/repo-0',
    },
    trending: { date: '2025-03-28', rank: 1 },
    keywords: ['portrait animation'],
    aiSummary: 'Generates infinite talking videos.',
    source: 'hf-daily-papers',
  };
}

/**
 * The same paper as an arXiv record gives it (OAI-PMH arXiv format, https://info.arxiv.org/help/oa/index.html):
 * categories, the first version's date, no upvotes or keywords, a longer abstract (as src/ingest/sources/arxiv-oai.ts maps it).
 */
function arxivShaped(hf: Paper): Paper {
  return PaperSchema.parse({
    id: hf.id,
    title: hf.title,
    abstract: `${hf.abstract} Code and models are released.`,
    authors: hf.authors,
    publishedAt: '2025-03-21',
    links: { arxiv: `https://arxiv.org/abs/${hf.id}`, pdf: `https://arxiv.org/pdf/${hf.id}` },
    categories: ['cs.CV', 'cs.AI'],
    source: 'arxiv',
  });
}
