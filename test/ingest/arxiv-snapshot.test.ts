import { randomBytes } from 'node:crypto';
import { appendFileSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { importArxivSnapshot, toPaper } from '../../src/ingest/arxiv-snapshot.js';
import type { PaperStore } from '../../src/papers/paper-store.js';
import { openPostgresStore } from '../../src/store/postgres.js';
import { openSqliteStore } from '../../src/store/sqlite.js';

const dir = mkdtempSync(join(tmpdir(), 'paperboy-snapshot-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * A record of the shape of the arXiv metadata snapshot (Kaggle "Cornell-University/arxiv",
 * arxiv-metadata-oai-snapshot.json, as its dataset card documents it): the authors as one line and
 * parsed, categories space-separated, each version's RFC 2822 date, the abstract hard-wrapped and
 * starting with a newline and two spaces, as arXiv stores it.
 */
function record(i: number): Record<string, unknown> {
  const archive = i % 4 === 0 ? 'math.AG math.NT' : i % 4 === 1 ? 'cs.CL cs.LG' : i % 4 === 2 ? 'cs.LG stat.ML' : 'hep-th';
  const id = i % 10 === 0 ? `hep-th/99${String(i).padStart(5, '0')}` : `2401.${String(i).padStart(5, '0')}`;
  return {
    id,
    submitter: 'Ada Lovelace',
    authors: 'Ada Lovelace, Jörg Müller and Wei Li Jr',
    title: `Paper ${i} on distillation\n  of large models`,
    comments: '12 pages, 3 figures',
    'journal-ref': null,
    doi: null,
    'report-no': null,
    categories: archive,
    license: 'http://creativecommons.org/licenses/by/4.0/',
    abstract: `  We study $\\alpha$-divergence distillation number ${i}.\nIt is hard-wrapped\nlike arXiv's.\n`,
    versions: [
      { version: 'v1', created: 'Mon, 2 Apr 2007 19:18:42 GMT' },
      { version: 'v2', created: 'Tue, 24 Jul 2007 20:10:27 GMT' },
    ],
    update_date: '2008-11-13',
    authors_parsed: [
      ['Lovelace', 'Ada', ''],
      ['Müller', 'Jörg', ''],
      ['Li', 'Wei', 'Jr'],
    ],
  };
}

/** 10,000 lines: every 1,000th a bad one of four kinds (not JSON, no id, no title, not UTF-8). */
function writeSnapshot(name: string, count = 10_000): { file: string; good: number; bad: number } {
  const parts: Buffer[] = [];
  let bad = 0;
  for (let i = 0; i < count; i++) {
    if (i % 1000 === 999) {
      bad++;
      const kind = ((i / 1000) % 4) | 0;
      if (kind === 0) parts.push(Buffer.from('{"id": "2401.1", "title": \n'));
      else if (kind === 1) parts.push(Buffer.from(`${JSON.stringify({ ...record(i), id: '' })}\n`));
      else if (kind === 2) parts.push(Buffer.from(`${JSON.stringify({ ...record(i), title: '   ' })}\n`));
      else parts.push(Buffer.concat([Buffer.from('{"id": "2401.2", "title": "Caf'), Buffer.from([0xe9]), Buffer.from('"}\n')]));
      continue;
    }
    parts.push(Buffer.from(`${JSON.stringify(record(i))}\n`));
  }
  const file = join(dir, name);
  writeFileSync(file, Buffer.concat(parts));
  return { file, good: count - bad, bad };
}

async function everything(store: PaperStore): Promise<string> {
  return JSON.stringify(await store.allPapers());
}

describe('toPaper (one snapshot line)', () => {
  it('maps every field of a record the way arXiv shows the paper', () => {
    expect(toPaper(JSON.stringify(record(1)))).toEqual({
      id: '2401.00001',
      title: 'Paper 1 on distillation of large models',
      abstract: "We study $\\alpha$-divergence distillation number 1. It is hard-wrapped like arXiv's.",
      authors: ['Ada Lovelace', 'Jörg Müller', 'Wei Li Jr'],
      publishedAt: '2007-04-02',
      upvotes: 0,
      links: { arxiv: 'https://arxiv.org/abs/2401.00001', pdf: 'https://arxiv.org/pdf/2401.00001' },
      keywords: [],
      categories: ['cs.CL', 'cs.LG'],
      source: 'arxiv',
    });
    expect(toPaper(JSON.stringify(record(30)))).toMatchObject({ id: 'hep-th/9900030', categories: ['cs.LG', 'stat.ML'] });
    const { authors_parsed: _parsed, ...unparsed } = record(3);
    expect(toPaper(JSON.stringify(unparsed))).toMatchObject({ authors: ['Ada Lovelace', 'Jörg Müller', 'Wei Li Jr'] });
    expect(toPaper('[1, 2]')).toEqual({ reason: 'not a JSON object' });
    expect(toPaper('{"id": ')).toEqual({ reason: 'not valid JSON' });
    expect(toPaper(JSON.stringify({ ...record(2), title: '' }))).toEqual({ reason: 'title: missing or empty' });
  });
});

describe('importArxivSnapshot on SQLite', () => {
  it('stops after a batch, resumes where it stopped, and ends with the store an uninterrupted import makes', async () => {
    const { file, good, bad } = writeSnapshot('snapshot.json');
    const whole = openSqliteStore(join(dir, 'whole.db'));
    const resumed = openSqliteStore(join(dir, 'resumed.db'));
    try {
      const once = await importArxivSnapshot(file, { store: whole });
      expect(once).toMatchObject({ done: true, stored: good, skipped: bad, line: 10_000, alreadyDone: false, resumedAt: 0 });
      expect(once.skipReasons).toEqual({
        'not valid JSON': 3,
        'id: missing or empty': 3,
        'title: missing or empty': 2,
        'not valid UTF-8': 2,
      });
      expect(once.problems[0]).toBe(`${file}:1000: not valid JSON`);
      expect((await whole.allPapers()).length).toBe(good);

      const stop = new AbortController();
      const first = await importArxivSnapshot(file, {
        store: resumed,
        stop: stop.signal,
        onProgress: (progress) => progress.stored >= 4_000 && stop.abort(),
      });
      expect(first).toMatchObject({ done: false, stored: 4_000 });
      expect((await resumed.allPapers()).length).toBe(4_000);
      const progress: number[] = [];
      const second = await importArxivSnapshot(file, { store: resumed, onProgress: (p) => progress.push(p.bytes) });
      expect(second.resumedAt).toBe(first.offset);
      expect(second).toMatchObject({ done: true, stored: good, line: 10_000 });
      expect(progress.at(-1)).toBe(second.offset);
      expect(await everything(resumed)).toBe(await everything(whole));

      // Run again: nothing to read, nothing changes.
      const again = await importArxivSnapshot(file, { store: resumed });
      expect(again).toMatchObject({ alreadyDone: true, stored: good });
      expect(await everything(resumed)).toBe(await everything(whole));
    } finally {
      await whole.close();
      await resumed.close();
    }
  });

  it('resumes after a crash while storing, skips a line too long to be a record, and reads a changed file again without doubling', async () => {
    const { file, good } = writeSnapshot('crash.json', 5_000);
    appendFileSync(file, `${JSON.stringify({ ...record(5_001), abstract: 'x'.repeat(1.1 * 2 ** 20) })}\n`);
    const store = openSqliteStore(join(dir, 'crash.db'));
    let upserts = 0;
    // The second batch's write fails (disk full): the first batch and its checkpoint are kept.
    const failing = Object.create(store, {
      upsertPapers: { value: (papers: never[]) => (++upserts === 2 ? Promise.reject(new Error('disk full')) : store.upsertPapers(papers)) },
    }) as PaperStore;
    try {
      await expect(importArxivSnapshot(file, { store: failing })).rejects.toThrow('disk full');
      expect((await store.allPapers()).length).toBe(2_000);
      const rest = await importArxivSnapshot(file, { store });
      expect(rest).toMatchObject({ done: true, stored: good, skipReasons: { 'longer than 1048576 bytes': 1 } });
      expect(rest.resumedAt).toBeGreaterThan(0);
      const before = await everything(store);
      expect((await store.allPapers()).length).toBe(good);

      // A newer snapshot (the file changed): read from the start again, the same papers not doubled.
      utimesSync(file, new Date(), new Date(Date.now() + 60_000));
      expect(await importArxivSnapshot(file, { store })).toMatchObject({ resumedAt: 0, done: true, stored: good });
      expect(await everything(store)).toBe(before);
    } finally {
      await store.close();
    }
  });

  it('keeps only the categories asked for, archives included, and merges with the Daily Papers copy', async () => {
    const { file } = writeSnapshot('categories.json', 2_000);
    const store = openSqliteStore(join(dir, 'categories.db'));
    try {
      await store.upsertPapers([
        {
          ...(toPaper(JSON.stringify(record(1))) as object),
          upvotes: 42,
          aiSummary: 'From Hugging Face.',
          source: 'hf-daily-papers',
          trending: { date: '2024-01-03', rank: 1 },
        } as never,
      ]);
      const report = await importArxivSnapshot(file, { store, categories: ['cs.CL', 'stat.*'] });
      const papers = await store.allPapers();
      // Half the records are in cs.CL or stat.ML; the two bad lines are in neither.
      expect(report).toMatchObject({ stored: 1_000, outside: 998, skipped: 2 });
      expect(papers.every((paper) => paper.categories?.some((c) => c === 'cs.CL' || c.startsWith('stat.')))).toBe(true);
      expect(papers.length).toBe(1_000);
      const merged = papers.find((paper) => paper.id === '2401.00001')!;
      expect(merged).toMatchObject({
        upvotes: 42,
        aiSummary: 'From Hugging Face.',
        categories: ['cs.CL', 'cs.LG'],
        trending: { date: '2024-01-03', rank: 1 },
      });
    } finally {
      await store.close();
    }
  });
});

const url = process.env.PAPERBOY_TEST_DATABASE_URL;
describe.skipIf(!url)('importArxivSnapshot on Postgres', () => {
  it('resumes after a stop and gives the same store as one run', async () => {
    const { file, good } = writeSnapshot('pg.json', 5_000);
    const admin = new pg.Pool({ connectionString: url!, max: 1 });
    const schemas = [`paperboy_test_${randomBytes(6).toString('hex')}`, `paperboy_test_${randomBytes(6).toString('hex')}`];
    const whole = await openPostgresStore(url!, { schema: schemas[0]! });
    const resumed = await openPostgresStore(url!, { schema: schemas[1]! });
    try {
      await importArxivSnapshot(file, { store: whole });
      const stop = new AbortController();
      await importArxivSnapshot(file, { store: resumed, stop: stop.signal, onProgress: () => stop.abort() });
      expect((await resumed.allPapers()).length).toBe(2_000);
      expect(await importArxivSnapshot(file, { store: resumed })).toMatchObject({ done: true, stored: good });
      expect(await everything(resumed)).toBe(await everything(whole));
      expect(await importArxivSnapshot(file, { store: resumed })).toMatchObject({ alreadyDone: true });
    } finally {
      await whole.close();
      await resumed.close();
      for (const schema of schemas) await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.end();
    }
  });
});
