/**
 * Search engine cost: build time, heap, serialized index size, load time and query latency,
 * on the seed corpus, SciFact (5,183 abstracts) and 100k abstracts recombined from
 * SciFact sentences. Usage: node --expose-gc dist/bench/search.js [--dir path/to/scifact] [--million]
 * With --million (npm run bench:search:million; about 15 minutes and 6 GB here) it measures issue
 * 14's scale instead: an index of 1,000,000 recombined abstracts plus SciFact, saved and then served
 * by a fresh process as a restarted bot serves it (start-up from the file, heap, latency, and a save
 * while serving), and SciFact's judged claims over SciFact plus those 1,000,000 as distractors
 * (nDCG@10 beside SciFact's own). Prints a table and writes bench/out/search.json
 * (search-million.json with --million).
 */
import { spawnSync } from 'node:child_process';
import { closeSync, fsyncSync, mkdirSync, mkdtempSync, openSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { loadCorpus } from '../src/papers/corpus.js';
import type { Paper } from '../src/papers/paper.js';
import { DEFAULT_CORPUS, projectRoot } from '../src/paths.js';
import { buildIndex } from '../src/search/paper-index.js';
import { saveIndexFile } from '../src/search/persisted-index.js';
import { loadIndex, loadIndexFile, serializeIndex } from '../src/search/serialize.js';
import type { PaperIndex } from '../src/search/types.js';
import { evaluate, loadSeedQueries, type Effectiveness } from './lib/evaluate.js';
import { percentile } from './lib/percentile.js';
import { RECOMBINE_SEED, recombine } from './lib/recombine.js';
import { seededRandom } from './lib/random.js';
import { flag, loadScifact, SCIFACT_DIR } from './lib/scifact.js';

const SYNTHETIC_SIZE = 100_000;
const MILLION = 1_000_000;
const LOAD_RUNS = 3;

interface Row {
  corpus: string;
  papers: number;
  buildMs: number;
  heapMb: number;
  /** serializeIndex's bytes. */
  indexMb: number;
  /** The whole process's heap and typed arrays once the index is built: the index plus the papers' text. */
  processHeapMb: number;
  /** loadIndex's time, median of LOAD_RUNS. */
  loadMs: number;
  queries: number;
  p50Ms: number;
  p99Ms: number;
}

function main(): void {
  const serving = flag('serve');
  if (serving) return void serve(serving);
  const dir = flag('dir') ?? SCIFACT_DIR;
  const startup = measureStartup();
  const scifact = loadScifact(dir);
  const queries = benchQueries(scifact);
  const seedPapers = loadCorpus(DEFAULT_CORPUS).papers;
  if (process.argv.includes('--million')) return atScale(scifact);

  const rows = [
    measure('seed', seedPapers, queries),
    measure('SciFact', scifact.papers, queries),
    measure('synthetic 100k', recombine(scifact.papers, SYNTHETIC_SIZE, seededRandom(RECOMBINE_SEED)), queries),
  ];
  printTable(rows, startup);
  const out = join(projectRoot, 'bench', 'out');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'search.json'), JSON.stringify({ startupMs: startup, rows }, null, 2) + '\n');
  console.log(`\nwrote ${join(out, 'search.json')}`);
}

/**
 * Issue 14's scale: one index over SciFact's 5,183 abstracts plus 1,000,000 recombined ones, and
 * SciFact's claims judged over it. The distractors are made of SciFact's own sentences, so they are
 * hard ones: each shares whole sentences with the judged abstracts. The index is saved as the bot
 * saves it (papers included) and served by a fresh process, as a restarted bot serves: that process
 * times its start-up from the file, its heap, and the queries.
 */
function atScale(scifact: ReturnType<typeof loadScifact>): void {
  const alone = evaluate(buildIndex(scifact.papers), scifact.queries, false);
  const distractors = recombine(scifact.papers, MILLION, seededRandom(RECOMBINE_SEED));
  const started = performance.now();
  const index = buildIndex([...scifact.papers, ...distractors]);
  const buildMs = performance.now() - started;
  const buildHeapMb = usedHeap() / 2 ** 20;
  const withDistractors = evaluate(index, scifact.queries, false);
  const dir = mkdtempSync(join(tmpdir(), 'paperboy-million-'));
  try {
    const file = join(dir, 'million.index');
    // Flushed to disk as the bot's save is, so that the fresh process reads it as a restart would.
    const fd = openSync(file, 'w');
    writeFileSync(fd, serializeIndex(index));
    fsyncSync(fd);
    closeSync(fd);
    const snapshotMb = statSync(file).size / 2 ** 20;
    const served = serveInChild(file);
    const median = [...served.passes].sort((a, b) => a.p99Ms - b.p99Ms)[1]!;
    console.log(`machine: ${cpus()[0]?.model} x${cpus().length}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`);
    console.log(
      `SciFact + 1M (${index.size} papers): build ${(buildMs / 1000).toFixed(0)} s; heap of the building process ${buildHeapMb.toFixed(0)} MB`,
    );
    console.log(`snapshot on disk (index and packed papers): ${snapshotMb.toFixed(0)} MB`);
    console.log('served by a fresh process from the snapshot:');
    console.log(
      `  start-up (loadIndexFile: every section read but the papers') ${served.startMs.toFixed(0)} ms; the papers in memory too (read in the background) at ${served.papersMs.toFixed(0)} ms`,
    );
    console.log(`  heap once the papers are in memory (JS heap + typed arrays: index and papers) ${served.heapMb.toFixed(0)} MB`);
    for (const [i, pass] of served.passes.entries())
      console.log(
        `  pass ${i + 1} of ${served.queries} queries (limit 10): p50 ${pass.p50Ms.toFixed(2)} ms, p99 ${pass.p99Ms.toFixed(2)} ms`,
      );
    console.log(
      `  saving the index while serving: ${(served.save.ms / 1000).toFixed(1)} s, the event loop held at most ${served.save.longestPauseMs.toFixed(0)} ms at a time`,
    );
    printQuality(alone, withDistractors);
    const out = join(projectRoot, 'bench', 'out');
    mkdirSync(out, { recursive: true });
    const row = { papers: index.size, buildMs, buildHeapMb, snapshotMb, ...served, median };
    writeFileSync(join(out, 'search-million.json'), JSON.stringify({ row, quality: { alone, withDistractors } }, null, 2) + '\n');
    console.log(`\nwrote ${join(out, 'search-million.json')}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

interface Served {
  /** loadIndexFile: every section read but the papers', then read in the background. */
  startMs: number;
  /** Until the papers were in memory too (search served meanwhile, reading them from the file). */
  papersMs: number;
  heapMb: number;
  queries: number;
  passes: Array<{ p50Ms: number; p99Ms: number }>;
  /** Saving the index while serving (streamIndex): how long, and the longest the event loop was held. */
  save: { ms: number; longestPauseMs: number };
}

const SERVED_PASSES = 3;

function serveInChild(file: string): Served {
  const script = fileURLToPath(import.meta.url);
  const child = spawnSync(process.execPath, ['--expose-gc', '--max-old-space-size=12288', script, '--serve', file], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (child.status !== 0) throw new Error('serving the snapshot failed');
  return JSON.parse(child.stdout.trim().split('\n').at(-1)!) as Served;
}

/**
 * The child: start from the snapshot as the bot does, time the queries (SERVED_PASSES passes), then
 * save the index as the running bot does (streamIndex to a file) and record the longest the event
 * loop was held meanwhile: the longest a query would wait.
 */
async function serve(file: string): Promise<void> {
  const started = performance.now();
  const { index, papersInMemory } = loadIndexFile(file);
  const startMs = performance.now() - started;
  await papersInMemory;
  const papersMs = performance.now() - started;
  const heapMb = usedHeap() / 2 ** 20;
  const queries = benchQueries(loadScifact());
  const passes = Array.from({ length: SERVED_PASSES }, () => {
    const latencies = timeQueries(index, queries);
    return { p50Ms: percentile(latencies, 50), p99Ms: percentile(latencies, 99) };
  });
  const delay = monitorEventLoopDelay({ resolution: 1 });
  const saveStarted = performance.now();
  delay.enable();
  // The bot's own save (what indexPersister runs a minute after papers arrive).
  await saveIndexFile(index, `${file}.saved`, () => ({ corpus: 'bench' }));
  delay.disable();
  const save = { ms: performance.now() - saveStarted, longestPauseMs: delay.max / 1e6 };
  const served: Served = { startMs, papersMs, heapMb, queries: queries.length, passes, save };
  console.log(JSON.stringify(served));
}

function benchQueries(scifact: ReturnType<typeof loadScifact>): string[] {
  return [...shortQueries(scifact.queries.map(({ query }) => query)), ...loadSeedQueries().map(({ query }) => query)];
}

function printQuality(alone: Effectiveness, scaled: Effectiveness): void {
  console.log('\nSciFact claims (300, judged)   | nDCG@10 | R@100');
  console.log('-------------------------------|---------|------');
  console.log(`SciFact alone (5,183)          | ${alone.ndcg10.toFixed(4)}  | ${alone.recall100.toFixed(3)}`);
  console.log(`SciFact + 1,000,000 distractors | ${scaled.ndcg10.toFixed(4)}  | ${scaled.recall100.toFixed(3)}`);
}

/** In-process start-up: read and validate the seed corpus file, then index it. */
function measureStartup(): number {
  const start = performance.now();
  buildIndex(loadCorpus(DEFAULT_CORPUS).papers);
  return performance.now() - start;
}

function measure(corpus: string, papers: Paper[], queries: string[]): Row {
  return measureKeeping(corpus, papers, queries).row;
}

function measureKeeping(corpus: string, papers: Paper[], queries: string[]): { row: Row; index: PaperIndex } {
  const heapBefore = usedHeap();
  const start = performance.now();
  const index = buildIndex(papers);
  const buildMs = performance.now() - start;
  const processHeap = usedHeap();
  const heapMb = (processHeap - heapBefore) / 2 ** 20;
  const bytes = serializeIndex(index);

  const latencies = timeQueries(index, queries);
  const row = {
    corpus,
    papers: index.size,
    buildMs,
    heapMb,
    indexMb: bytes.byteLength / 2 ** 20,
    processHeapMb: processHeap / 2 ** 20,
    loadMs: timeLoad(bytes),
    queries: latencies.length,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
  };
  return { row, index };
}

function timeLoad(bytes: Uint8Array): number {
  const times = Array.from({ length: LOAD_RUNS }, () => {
    const start = performance.now();
    loadIndex(bytes);
    return performance.now() - start;
  });
  return percentile(times, 50);
}

function timeQueries(index: PaperIndex, queries: string[]): number[] {
  for (const query of queries.slice(0, 20)) index.search(query);
  return queries.map((query) => {
    const start = performance.now();
    index.search(query, { limit: 10 });
    return performance.now() - start;
  });
}

/** SciFact claims cut to their first 1, 2 or 3 words (in turn), as a chat user types. */
function shortQueries(claims: string[]): string[] {
  return claims.map((claim, i) =>
    claim
      .split(/\s+/)
      .slice(0, (i % 3) + 1)
      .join(' '),
  );
}

/** The JS heap plus typed-array storage, which lives outside the heap. */
function usedHeap(): number {
  globalThis.gc?.();
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return heapUsed + arrayBuffers;
}

function printTable(rows: Row[], startupMs: number): void {
  if (!globalThis.gc) console.log('(run with --expose-gc for accurate heap figures)');
  console.log(
    `corpus         |  papers | build ms | heap MB | index MB | load ms | queries | p50 ms | p99 ms   (heap: JS heap + typed arrays; load: median of ${LOAD_RUNS})`,
  );
  console.log('---------------|---------|----------|---------|----------|---------|---------|--------|-------');
  for (const row of rows) {
    console.log(
      [
        row.corpus.padEnd(14),
        String(row.papers).padStart(7),
        row.buildMs.toFixed(0).padStart(8),
        row.heapMb.toFixed(1).padStart(7),
        row.indexMb.toFixed(2).padStart(8),
        row.loadMs.toFixed(1).padStart(7),
        String(row.queries).padStart(7),
        row.p50Ms.toFixed(2).padStart(6),
        row.p99Ms.toFixed(2).padStart(6),
      ].join(' | '),
    );
  }
  console.log(`\nstart-up (load seed corpus file + build index, in process): ${startupMs.toFixed(1)} ms`);
  for (const row of rows)
    console.log(`${row.corpus}: whole process heap after the build ${row.processHeapMb.toFixed(0)} MB (index and papers)`);
}

main();
