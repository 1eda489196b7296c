/**
 * Bulk import cost: `paperboy import arxiv-snapshot` of 1,000,000 snapshot-shaped records into a
 * fresh store — total time and peak memory, sampled throughout. The records are real abstracts
 * (SciFact's sentences and titles, recombined with a seeded PRNG as bench/search.ts does) in the
 * snapshot's shape (bench/lib/arxiv-snapshot.ts). The file is written first (not timed), to a
 * temporary directory that is removed afterwards.
 * Usage: node dist/bench/import.js [--records N] [--dir path/to/scifact] [--postgres URL]
 * Prints the figures and writes bench/out/import.json.
 */
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { importArxivSnapshot } from '../src/ingest/arxiv-snapshot.js';
import { projectRoot } from '../src/paths.js';
import { splitSentences } from '../src/search/sentences.js';
import type { AppStore } from '../src/store/open.js';
import { openSqliteStore } from '../src/store/sqlite.js';
import { snapshotLine, syntheticId, writeLines } from './lib/arxiv-snapshot.js';
import { seededRandom } from './lib/random.js';
import { flag, loadScifact, SCIFACT_DIR } from './lib/scifact.js';

const SEED = 20_251_128;
const SAMPLE_MS = 250;
const CATEGORIES = ['cs.CL', 'cs.LG', 'cs.CV', 'cs.AI', 'stat.ML', 'math.OC', 'q-bio.NC', 'physics.med-ph', 'hep-th', 'cond-mat.mtrl-sci'];
const FAMILY = ['Smith', 'Wang', 'Müller', 'García', 'Kowalski', 'Nakamura', 'Okafor', 'Singh', 'Dubois', 'Rossi', 'Kim', 'Novák'];
const GIVEN = ['Anna', 'Wei', 'José', 'Zoë', 'Kenji', 'Chidi', 'Priya', 'Lars', 'Fatima', 'Marco', 'Ji-woo', 'Élodie'];

async function main(): Promise<void> {
  const records = Number(flag('records') ?? 1_000_000);
  const postgres = flag('postgres');
  const work = mkdtempSync(join(tmpdir(), 'paperboy-bench-import-'));
  try {
    const file = join(work, 'arxiv-metadata-oai-snapshot.json');
    const generated = performance.now();
    await writeSnapshot(file, records, flag('dir') ?? SCIFACT_DIR);
    const fileBytes = statSync(file).size;
    console.log(
      `wrote ${records.toLocaleString('en-US')} records, ${(fileBytes / 1e6).toFixed(0)} MB, in ${((performance.now() - generated) / 1000).toFixed(0)} s`,
    );

    const schema = `paperboy_bench_import_${Date.now()}`;
    const store = postgres ? await openPostgres(postgres, schema) : openSqliteStore(join(work, 'paperboy.db'));
    const peak = { rss: 0, heap: 0 };
    const sample = () => {
      const { rss, heapUsed } = process.memoryUsage();
      peak.rss = Math.max(peak.rss, rss);
      peak.heap = Math.max(peak.heap, heapUsed);
    };
    const sampler = setInterval(sample, SAMPLE_MS);
    const rssAt: number[] = [];
    const started = performance.now();
    const report = await importArxivSnapshot(file, {
      store,
      onProgress: (progress) => {
        sample();
        // RSS at each tenth of the file: flat when memory is bounded.
        if (Math.floor((progress.bytes / progress.size) * 10) > rssAt.length) rssAt.push(process.memoryUsage().rss);
      },
    }).finally(() => clearInterval(sampler));
    const seconds = (performance.now() - started) / 1000;
    await store.close();
    if (postgres) await dropSchema(postgres, schema);
    const result = {
      backend: postgres ? 'Postgres' : 'SQLite',
      records,
      fileMb: Math.round(fileBytes / 1e6),
      stored: report.stored,
      skipped: report.skipped,
      seconds: Math.round(seconds),
      recordsPerSecond: Math.round(records / seconds),
      peakRssMb: Math.round(peak.rss / 1e6),
      peakHeapMb: Math.round(peak.heap / 1e6),
      rssAtTenthsMb: rssAt.map((bytes) => Math.round(bytes / 1e6)),
      ...(postgres ? {} : { dbMb: Math.round(statSync(join(work, 'paperboy.db')).size / 1e6) }),
      machine: `${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GB, Node ${process.version}`,
    };
    console.log(JSON.stringify(result, null, 2));
    const out = join(projectRoot, 'bench', 'out');
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, `import-${result.backend.toLowerCase()}.json`), `${JSON.stringify(result, null, 2)}\n`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Snapshot lines whose titles and abstracts are SciFact's, recombined: 4 to 10 sentences each. */
async function writeSnapshot(file: string, count: number, dir: string): Promise<void> {
  const { papers } = loadScifact(dir);
  const sentences = papers.flatMap((paper) => splitSentences(paper.abstract));
  const random = seededRandom(SEED);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  await writeLines(file, count, (i) => {
    const { id, created } = syntheticId(i);
    const categories = [...new Set([pick(CATEGORIES), pick(CATEGORIES)])];
    const authors = Array.from({ length: 1 + Math.floor(random() * 6) }, (): [string, string] => [pick(FAMILY), pick(GIVEN)]);
    const versions = random() < 0.3 ? [created, new Date(created.getTime() + 40 * 86_400_000)] : [created];
    const abstract = Array.from({ length: 4 + Math.floor(random() * 7) }, () => pick(sentences)).join(' ');
    return snapshotLine({ id, title: pick(papers).title, abstract, categories, authors, versions });
  });
}

async function openPostgres(url: string, schema: string): Promise<AppStore> {
  const { openPostgresStore } = await import('../src/store/postgres.js');
  return openPostgresStore(url, { schema });
}

async function dropSchema(url: string, schema: string): Promise<void> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await client.end();
}

await main();
