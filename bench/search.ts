/**
 * Search engine cost: build time, heap, serialized index size, load time and query latency,
 * on the seed corpus, SciFact (5,183 abstracts) and 100k abstracts recombined from
 * SciFact sentences. Usage: node --expose-gc dist/bench/search.js [--dir path/to/scifact] [--million]
 * With --million (npm run bench:search:million; about 15 minutes and 6 GB here) it adds the
 * issue-14 scale rows: 1,000,000 recombined abstracts, and SciFact's judged claims over SciFact plus
 * those 1,000,000 as distractors (nDCG@10 beside SciFact's own). Prints a table and writes
 * bench/out/search.json (search-million.json with --million).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadCorpus } from '../src/papers/corpus.js';
import type { Paper } from '../src/papers/paper.js';
import { DEFAULT_CORPUS, projectRoot } from '../src/paths.js';
import { buildIndex } from '../src/search/paper-index.js';
import { loadIndex, serializeIndex } from '../src/search/serialize.js';
import type { PaperIndex } from '../src/search/types.js';
import { evaluate, loadSeedQueries, type Effectiveness } from './lib/evaluate.js';
import { percentile } from './lib/percentile.js';
import { recombine } from './lib/recombine.js';
import { seededRandom } from './lib/random.js';
import { flag, loadScifact, SCIFACT_DIR } from './lib/scifact.js';

const SYNTHETIC_SIZE = 100_000;
const MILLION = 1_000_000;
const SEED = 20_251_127;
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
  const dir = flag('dir') ?? SCIFACT_DIR;
  const startup = measureStartup();
  const scifact = loadScifact(dir);
  const queries = [...shortQueries(scifact.queries.map(({ query }) => query)), ...loadSeedQueries().map(({ query }) => query)];
  const seedPapers = loadCorpus(DEFAULT_CORPUS).papers;
  if (process.argv.includes('--million')) return atScale(scifact, queries);

  const rows = [
    measure('seed', seedPapers, queries),
    measure('SciFact', scifact.papers, queries),
    measure('synthetic 100k', recombine(scifact.papers, SYNTHETIC_SIZE, seededRandom(SEED)), queries),
  ];
  printTable(rows, startup);
  const out = join(projectRoot, 'bench', 'out');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'search.json'), JSON.stringify({ startupMs: startup, rows }, null, 2) + '\n');
  console.log(`\nwrote ${join(out, 'search.json')}`);
}

/**
 * Issue 14's scale: one index over SciFact's 5,183 abstracts plus 1,000,000 recombined ones, timed
 * like the other rows, and SciFact's claims judged over it. The distractors are made of SciFact's
 * own sentences, so they are hard ones: each shares whole sentences with the judged abstracts.
 */
function atScale(scifact: ReturnType<typeof loadScifact>, queries: string[]): void {
  const alone = evaluate(buildIndex(scifact.papers), scifact.queries, false);
  const distractors = recombine(scifact.papers, MILLION, seededRandom(SEED));
  const { row, index } = measureKeeping('SciFact + 1M', [...scifact.papers, ...distractors], queries);
  const withDistractors = evaluate(index, scifact.queries, false);
  printTable([row], measureStartup());
  printQuality(alone, withDistractors);
  const out = join(projectRoot, 'bench', 'out');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'search-million.json'), JSON.stringify({ row, quality: { alone, withDistractors } }, null, 2) + '\n');
  console.log(`\nwrote ${join(out, 'search-million.json')}`);
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
