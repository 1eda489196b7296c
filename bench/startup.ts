/**
 * Start-up with a persisted index (issue 14), through the bot's own start-up (openServices) on a real
 * SQLite store of N papers (abstracts recombined from SciFact's sentences, as bench:search makes
 * them): the first start builds the index from the store and saves the snapshot; the second loads it
 * and reads only what the store's change feed wrote since. Each start runs in a fresh process (as the
 * bot does), which reports its time and its heap afterwards: JS heap plus typed arrays, which is where
 * the index and the packed papers live.
 * Usage: node --expose-gc dist/bench/startup.js [--size 100000]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadSettings } from '../src/config.js';
import { silentLogger } from '../src/lib/logger.js';
import { projectRoot } from '../src/paths.js';
import { openServices } from '../src/runtime/services.js';
import { openStore } from '../src/store/open.js';
import { seededRandom } from './lib/random.js';
import { RECOMBINE_SEED, recombine } from './lib/recombine.js';
import { flag, loadScifact } from './lib/scifact.js';

const BATCH = 5_000;

interface Start {
  how: string;
  papers: number;
  ms: number;
  /** For the first start: until the snapshot file was written. */
  savedMs?: number;
  heapMb: number;
  rssMb: number;
}

const settingsFor = (db: string) => loadSettings({ PAPERBOY_DB: db, PAPERBOY_REFRESH: 'off', LOG_LEVEL: 'error' });

async function main(): Promise<void> {
  const opening = flag('open');
  if (opening) return report(await start(opening));
  const size = Number(flag('size') ?? 100_000);
  const dir = mkdtempSync(join(tmpdir(), 'paperboy-startup-'));
  try {
    const db = join(dir, 'paperboy.db');
    const storeMs = await fill(db, size);
    const [first, second] = [startInChild(db), startInChild(db)];
    if (first.how !== 'built' || second.how !== 'snapshot') throw new Error(`unexpected starts: ${first.how}, ${second.how}`);
    const snapshotMb = statSync(`${db}.index`).size / 2 ** 20;
    const machine = `${cpus()[0]?.model} x${cpus().length}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
    console.log(`machine: ${machine}`);
    console.log(`papers ${size} (+ the seed), stored in ${(storeMs / 1000).toFixed(1)} s; snapshot on disk ${snapshotMb.toFixed(0)} MB`);
    console.log('start                | how      | papers  | start-up ms | heap MB | rss MB');
    console.log('---------------------|----------|---------|-------------|---------|-------');
    for (const [label, run] of [
      ['first (no snapshot)', first],
      ['second (snapshot)', second],
    ] as const) {
      console.log(
        `${label.padEnd(20)} | ${run.how.padEnd(8)} | ${String(run.papers).padStart(7)} | ${run.ms.toFixed(0).padStart(11)} | ${run.heapMb.toFixed(0).padStart(7)} | ${run.rssMb.toFixed(0).padStart(6)}`,
      );
    }
    if (first.savedMs !== undefined) console.log(`first start: snapshot written ${(first.savedMs / 1000).toFixed(1)} s after start-up`);
    const out = join(projectRoot, 'bench', 'out');
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, `startup-${size}.json`), JSON.stringify({ machine, size, storeMs, snapshotMb, first, second }, null, 2) + '\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Stores `size` recombined papers in a new SQLite store, in batches, as an import does. */
async function fill(db: string, size: number): Promise<number> {
  const store = await openStore(settingsFor(db));
  const started = performance.now();
  const source = loadScifact().papers;
  const papers = recombine(source, size, seededRandom(RECOMBINE_SEED));
  for (let at = 0; at < papers.length; at += BATCH) await store.upsertPapers(papers.slice(at, at + BATCH));
  await store.close();
  return performance.now() - started;
}

function startInChild(db: string): Start {
  const script = fileURLToPath(import.meta.url);
  const child = spawnSync(process.execPath, ['--expose-gc', '--max-old-space-size=12288', script, '--open', db], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  if (child.status !== 0) throw new Error(`start-up failed: ${child.stderr}`);
  return JSON.parse(child.stdout.trim().split('\n').at(-1)!) as Start;
}

/** One start of the bot's services on the store, as the bot starts; waits for a first start's snapshot. */
async function start(db: string): Promise<Start> {
  const started = performance.now();
  const services = await openServices(settingsFor(db), undefined, silentLogger);
  const ms = performance.now() - started;
  const how = services.indexOpened;
  let savedMs: number | undefined;
  if (how === 'built') {
    while (!existsSync(`${db}.index`)) await new Promise((resolve) => setTimeout(resolve, 100));
    savedMs = performance.now() - started - ms;
  }
  globalThis.gc?.();
  const { heapUsed, arrayBuffers, rss } = process.memoryUsage();
  services.persister?.stop();
  await services.store.close();
  return {
    how,
    papers: services.index.size,
    ms,
    ...(savedMs === undefined ? {} : { savedMs }),
    heapMb: (heapUsed + arrayBuffers) / 2 ** 20,
    rssMb: rss / 2 ** 20,
  };
}

function report(start: Start): void {
  console.log(JSON.stringify(start));
}

await main();
