/**
 * Start-up with a persisted search index (issue 14): the time the bot's start-up path
 * (openIndex) takes to read and load the snapshot of N papers, against building the index
 * from the papers, and the heap after each. The papers are SciFact's abstracts copied under new ids
 * up to N (the text repeats; what is timed is reading the snapshot and mapping papers by id).
 * Usage: node --expose-gc dist/bench/startup.js [--size 100000]
 */
import { mkdtempSync, statSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../src/lib/logger.js';
import type { Paper } from '../src/papers/paper.js';
import { openIndex, persistIndex } from '../src/search/persisted-index.js';
import { loadScifact } from './lib/scifact.js';

async function main(): Promise<void> {
  const at = process.argv.indexOf('--size');
  const size = at > 0 ? Number(process.argv[at + 1]) : 100_000;
  const papers = copies(loadScifact().papers, size);
  const file = join(mkdtempSync(join(tmpdir(), 'paperboy-startup-')), 'paperboy.db.index');

  let started = performance.now();
  const built = openIndex(papers, file, silentLogger);
  const buildMs = performance.now() - started;
  persistIndex(built.index, file);
  const heapBuilt = heapMb();

  started = performance.now();
  const loaded = openIndex(papers, file, silentLogger);
  const loadMs = performance.now() - started;
  if (loaded.how !== 'snapshot') throw new Error('the snapshot was not loaded');
  const heapLoaded = heapMb();

  console.log(`machine: ${cpus()[0]?.model} x${cpus().length}, Node ${process.version}`);
  console.log(`papers ${size}: build ${Math.round(buildMs)} ms; snapshot ${mb(statSync(file).size)} MB;`);
  console.log(`start-up from the snapshot ${Math.round(loadMs)} ms; heap after build ${heapBuilt} MB, after both ${heapLoaded} MB`);
}

function copies(source: Paper[], count: number): Paper[] {
  return Array.from({ length: count }, (_, i) => ({ ...source[i % source.length]!, id: `copy-${i}` }));
}

function heapMb(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return mb(process.memoryUsage().heapUsed);
}

function mb(bytes: number): number {
  return Math.round(bytes / 2 ** 20);
}

await main();
