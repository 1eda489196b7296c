import { randomBytes } from 'node:crypto';
import { appendFileSync, mkdtempSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { snapshotLine, syntheticId, writeLines } from '../../bench/lib/arxiv-snapshot.js';
import { seededRandom } from '../../bench/lib/random.js';
import { importArxivSnapshot, MAX_LINE_BYTES, recordToPaper } from '../../src/ingest/arxiv-snapshot.js';
import type { PaperStore } from '../../src/papers/paper-store.js';
import type { Paper } from '../../src/papers/paper.js';
import { openPostgresStore } from '../../src/store/postgres.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import type { AppStore } from '../../src/store/open.js';

const dir = mkdtempSync(join(tmpdir(), 'paperboy-snapshot-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const RECORDS = 10_000;
const WORDS =
  'transformer attention distillation retrieval graph kernel sparse quantum lattice manifold diffusion tokenizer speculative decoding reward policy'.split(
    ' ',
  );
const CATEGORIES = [['cs.CL', 'cs.LG'], ['cs.LG'], ['math.AG'], ['hep-th'], ['cs.CV', 'cs.AI'], ['stat.ML', 'cs.LG'], ['q-bio.NC']];

/**
 * Real records' shape (bench/lib/arxiv-snapshot.ts says where it comes from): 0704.0001 as the
 * snapshot has it (TeX accent in the authors line, a hard-wrapped title, a revised version), an
 * old-style id, non-ASCII names in authors_parsed and TeX in an abstract.
 */
const REAL_SHAPED = [
  JSON.stringify({
    id: '0704.0001',
    submitter: 'Pavel Nadolsky',
    authors: "C. Bal\\'azs, E. L. Berger, P. M. Nadolsky, C.-P. Yuan",
    title: 'Calculation of prompt diphoton production cross sections at Tevatron and\n  LHC energies',
    comments: '37 pages, 15 figures; published version',
    'journal-ref': 'Phys.Rev.D76:013009,2007',
    doi: '10.1103/PhysRevD.76.013009',
    'report-no': 'ANL-HEP-PR-07-12',
    categories: 'hep-ph',
    license: null,
    abstract:
      '  A fully differential calculation in perturbative quantum chromodynamics is\npresented for the production of massive photon pairs at hadron colliders.\n',
    versions: [
      { version: 'v1', created: 'Mon, 2 Apr 2007 19:18:42 GMT' },
      { version: 'v2', created: 'Tue, 24 Jul 2007 20:10:27 GMT' },
    ],
    update_date: '2008-11-13',
    authors_parsed: [
      ['Balázs', 'C.', ''],
      ['Berger', 'E. L.', ''],
      ['Nadolsky', 'P. M.', ''],
      ['Yuan', 'C. -P.', ''],
    ],
  }),
  JSON.stringify({
    id: 'hep-th/9901001',
    submitter: 'Yosuke Imamura',
    authors: 'Yosuke Imamura',
    title: 'String Junctions and Their Duals in Heterotic String Theory',
    comments: null,
    'journal-ref': null,
    doi: null,
    'report-no': null,
    categories: 'hep-th',
    license: null,
    abstract:
      '  We show that the $SO(32)$ heterotic string theory on $T^2$ has string\njunctions whose tension obeys $T_{(p,q)}=\\sqrt{p^2+q^2}$.\n',
    versions: [{ version: 'v1', created: 'Fri, 1 Jan 1999 10:12:00 GMT' }],
    update_date: '2009-10-31',
    authors_parsed: [['Imamura', 'Yosuke', '']],
  }),
  JSON.stringify({
    id: '2503.01234',
    submitter: 'Zoë Ünal',
    authors: 'Zoë Ünal and José Müller Jr',
    title: 'Speculative Decoding for Łukasiewicz Logic',
    comments: null,
    'journal-ref': null,
    doi: null,
    'report-no': null,
    categories: 'cs.CL cs.LO',
    license: 'http://creativecommons.org/licenses/by/4.0/',
    abstract: '  We decode speculatively.\n',
    versions: [{ version: 'v1', created: 'Sun, 2 Mar 2025 23:59:59 GMT' }],
    update_date: '2025-03-04',
    authors_parsed: [
      ['Ünal', 'Zoë', ''],
      ['Müller', 'José', 'Jr'],
    ],
  }),
];

/** Bad lines at known places (line numbers are 1-based): not JSON, no title, no id, and one too long to be a record. */
const BAD = new Map<number, string>([
  [10, '{"id": "2001.00001", "title": '],
  [2_500, JSON.stringify({ id: '2001.00002', abstract: 'no title' })],
  [5_000, JSON.stringify({ title: 'No id' })],
  [7_500, JSON.stringify({ id: '2001.00003', title: 'Huge', abstract: 'x'.repeat(MAX_LINE_BYTES) })],
]);

/** The test's snapshot: the real-shaped records, then synthetic ones of the same shape, bad lines among them, and a blank line. */
async function makeSnapshot(name: string): Promise<string> {
  const file = join(dir, name);
  const random = seededRandom(14);
  const text = (n: number) => Array.from({ length: n }, () => WORDS[Math.floor(random() * WORDS.length)]).join(' ');
  const lines = (i: number): string => {
    const line = i + 1;
    if (line <= REAL_SHAPED.length) return REAL_SHAPED[i]!;
    if (BAD.has(line)) return BAD.get(line)!;
    if (line === 6_000) return '';
    const { id, created } = syntheticId(i);
    return snapshotLine({
      id,
      title: `${text(12)} ${i}`,
      abstract: text(60),
      categories: CATEGORIES[i % CATEGORIES.length]!,
      authors: [
        ['Curie', 'Marie'],
        ['Noether', 'Emmy'],
      ],
      versions: [created],
    });
  };
  await writeLines(file, RECORDS, lines);
  return file;
}

const byId = (a: Paper, b: Paper) => a.id.localeCompare(b.id);
const contents = async (store: PaperStore) => (await store.allPapers()).sort(byId);
const GOOD = RECORDS - BAD.size - 1;

describe('recordToPaper', () => {
  it('maps a snapshot record: id, unwrapped title and abstract, authors in reading order, first version date, categories, links', () => {
    expect(recordToPaper(REAL_SHAPED[0]!)).toEqual({
      id: '0704.0001',
      title: 'Calculation of prompt diphoton production cross sections at Tevatron and LHC energies',
      abstract:
        'A fully differential calculation in perturbative quantum chromodynamics is presented for the production of massive photon pairs at hadron colliders.',
      authors: ['C. Balázs', 'E. L. Berger', 'P. M. Nadolsky', 'C. -P. Yuan'],
      publishedAt: '2007-04-02',
      upvotes: 0,
      links: { arxiv: 'https://arxiv.org/abs/0704.0001', pdf: 'https://arxiv.org/pdf/0704.0001' },
      keywords: [],
      categories: ['hep-ph'],
      source: 'arxiv',
    });
    expect(recordToPaper(REAL_SHAPED[1]!)).toMatchObject({
      id: 'hep-th/9901001',
      abstract: expect.stringContaining('has string junctions whose tension obeys $T_{(p,q)}=\\sqrt{p^2+q^2}$.'),
      links: { arxiv: 'https://arxiv.org/abs/hep-th/9901001' },
      publishedAt: '1999-01-01',
    });
    expect(recordToPaper(REAL_SHAPED[2]!)).toMatchObject({ authors: ['Zoë Ünal', 'José Müller Jr'], categories: ['cs.CL', 'cs.LO'] });
    expect(recordToPaper('   ')).toBe('blank');
    expect(recordToPaper('[1,2')).toEqual({ reason: 'not JSON' });
    expect(recordToPaper('{"id":"2001.00001"}')).toEqual({ reason: 'title: missing or empty' });
    expect(recordToPaper('{"id":"a b c","title":"T"}')).toEqual({ reason: 'id: not an arXiv id' });
    // A versioned id is stored without its version; authors from the authors line when there is no authors_parsed.
    expect(recordToPaper('{"id":"2001.00001v3","title":"T","authors":"A. One, B. Two and C. Three"}')).toMatchObject({
      id: '2001.00001',
      authors: ['A. One', 'B. Two', 'C. Three'],
    });
  });
});

const pgUrl = process.env.PAPERBOY_TEST_DATABASE_URL;
const backends: Array<[string, (name: string) => Promise<AppStore>, boolean]> = [
  ['SQLite', async (name) => openSqliteStore(join(dir, `${name}.db`)), false],
  ['Postgres', async () => openPostgresStore(pgUrl!, { schema: freshSchema() }), !pgUrl],
];
const schemas: string[] = [];
function freshSchema(): string {
  const schema = `paperboy_test_${randomBytes(6).toString('hex')}`;
  schemas.push(schema);
  return schema;
}
afterAll(async () => {
  if (!pgUrl || !schemas.length) return;
  const admin = new pg.Pool({ connectionString: pgUrl, max: 1 });
  for (const schema of schemas) await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await admin.end();
});

describe.each(backends)('importArxivSnapshot on %s', (backend, open, skip) => {
  it.skipIf(skip)(
    'imports 10,000 records, interrupted then resumed (stop, then a crash) = uninterrupted = run twice; bad lines skipped and named',
    async () => {
      const file = await makeSnapshot(`snapshot-${backend}.jsonl`);
      const whole = await open(`whole-${backend}`);
      const resumed = await open(`resumed-${backend}`);
      try {
        const first = await importArxivSnapshot(file, { store: whole, batchSize: 1_000 });
        expect(first).toMatchObject({ resumedFrom: 0, alreadyDone: false, stopped: false, lines: RECORDS, stored: GOOD, skipped: 4 });
        expect(first.skipReasons).toEqual({
          'not JSON': 1,
          'title: missing or empty': 1,
          'id: missing or empty': 1,
          [`line longer than ${MAX_LINE_BYTES / 1024} KB`]: 1,
        });
        expect(first.badLines).toEqual([
          `${file}:10: not JSON`,
          `${file}:2500: title: missing or empty`,
          `${file}:5000: id: missing or empty`,
          `${file}:7500: line longer than 256 KB`,
        ]);
        const expected = await contents(whole);
        expect(expected).toHaveLength(GOOD);
        expect(expected.find((paper) => paper.id === 'hep-th/9901001')?.title).toBe(
          'String Junctions and Their Duals in Heterotic String Theory',
        );

        // Run twice: nothing is read again and the store is unchanged.
        const again = await importArxivSnapshot(file, { store: whole, batchSize: 1_000 });
        expect(again).toMatchObject({ alreadyDone: true, stored: GOOD });
        expect(await contents(whole)).toEqual(expected);

        // Interrupted (Ctrl-C) after the third batch: three batches stored, the checkpoint after them.
        const stop = new AbortController();
        let batches = 0;
        const stopped = await importArxivSnapshot(file, {
          store: resumed,
          batchSize: 1_000,
          stop: stop.signal,
          onBatch: () => ++batches === 3 && stop.abort(),
        });
        expect(stopped).toMatchObject({ stopped: true, lines: 3_000 });
        expect(await resumed.allPapers()).toHaveLength(3_000 - 2);

        // Then a crash: storing the fifth batch fails; the sixth never starts.
        const crashing: AppStore = Object.create(resumed, {
          upsertPapers: {
            value: async (papers: Paper[]) => (++batches === 5 ? Promise.reject(new Error('disk full')) : resumed.upsertPapers(papers)),
          },
        });
        await expect(importArxivSnapshot(file, { store: crashing, batchSize: 1_000 })).rejects.toThrow('disk full');
        expect(await resumed.allPapers()).toHaveLength(4_000 - 2);

        // The rerun continues after the last stored batch and ends with the same store as the uninterrupted run.
        const resumes: number[] = [];
        const rest = await importArxivSnapshot(file, {
          store: resumed,
          batchSize: 1_000,
          onResume: (_bytes, lines) => resumes.push(lines),
        });
        expect(resumes).toEqual([4_000]);
        expect(rest).toMatchObject({ stopped: false, lines: RECORDS, stored: GOOD, skipped: 4 });
        expect(rest.resumedFrom).toBeGreaterThan(0);
        expect(await contents(resumed)).toEqual(expected);

        // The file changed (a newer snapshot with one more record): read again from the start, the papers not doubled.
        const newer = syntheticId(RECORDS);
        appendFileSync(
          file,
          `${snapshotLine({ id: newer.id, title: 'A newer paper', abstract: 'New.', categories: ['cs.CL'], authors: [], versions: [newer.created] })}\n`,
        );
        utimesSync(file, new Date(), new Date(Date.now() + 5_000));
        const reread = await importArxivSnapshot(file, { store: whole, batchSize: 1_000 });
        expect(reread).toMatchObject({ resumedFrom: 0, stored: GOOD + 1 });
        const after = await contents(whole);
        expect(after.filter((paper) => paper.id !== newer.id)).toEqual(expected);
        expect(after.find((paper) => paper.id === newer.id)?.title).toBe('A newer paper');
      } finally {
        await whole.close();
        await resumed.close();
      }
    },
    120_000,
  );

  it.skipIf(skip)(
    'keeps only the records in --categories (cs.* for the whole archive)',
    async () => {
      const file = await makeSnapshot(`categories-${backend}.jsonl`);
      const store = await open(`categories-${backend}`);
      try {
        const report = await importArxivSnapshot(file, { store, categories: ['cs.*'], batchSize: 1_000 });
        const papers = await store.allPapers();
        expect(papers.length).toBe(report.stored);
        expect(report.stored + report.filtered + report.skipped).toBe(RECORDS - 1);
        // Of every 7 synthetic records, 4 have a cs category (one only as a cross-list: stat.ML cs.LG).
        expect(report.stored).toBeGreaterThan(5_000);
        expect(papers.every((paper) => paper.categories?.some((category) => category.startsWith('cs.')))).toBe(true);
        expect(papers.some((paper) => paper.categories?.[0] === 'stat.ML')).toBe(true);
        expect(papers.some((paper) => paper.id === '2503.01234')).toBe(true);
        expect(papers.some((paper) => paper.id === 'hep-th/9901001')).toBe(false);
      } finally {
        await store.close();
      }
    },
    60_000,
  );
});
