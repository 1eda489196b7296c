import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { readLines } from '../lib/read-lines.js';
import type { PaperIndex } from '../search/types.js';
import { PaperSchema, type Paper } from '../papers/paper.js';
import type { ImportCheckpoint, PaperStore } from '../papers/paper-store.js';
import { storePapers } from './ingest.js';
import { categoryFilter } from './sources/arxiv-oai.js';
import { skipReason, unwrap } from './sources/hf-daily-papers.js';

/**
 * The public arXiv metadata snapshot (Kaggle "Cornell-University/arxiv",
 * arxiv-metadata-oai-snapshot.json): one JSON object a line, about 2.7 million of them.
 */
interface SnapshotRecord {
  id?: unknown;
  title?: unknown;
  abstract?: unknown;
  authors?: unknown;
  /** [[keyname, forenames, suffix], ...] */
  authors_parsed?: unknown;
  /** Space-separated, primary first: "cs.CL cs.LG". */
  categories?: unknown;
  /** [{version: "v1", created: "Mon, 2 Apr 2007 19:18:42 GMT"}, ...] */
  versions?: unknown;
  update_date?: unknown;
}

/** A record longer than this is skipped (the longest real ones are a few kB). */
const MAX_RECORD_BYTES = 1 << 20;
/** Papers stored (and the checkpoint moved) per batch: one transaction each. */
const BATCH = 2_000;
/** The first few bad lines are named, file:line; the rest only counted. */
const NAMED_PROBLEMS = 5;

export interface ImportProgress extends ImportCheckpoint {
  /** Bytes of the file read so far, and its size. */
  bytes: number;
  size: number;
}

export interface ImportReport extends ImportCheckpoint {
  /** Nothing was read: this file was imported whole before. */
  alreadyDone: boolean;
  /** Where reading began (0 = the start; more = a resumed import). */
  resumedAt: number;
  /** Why lines were skipped, with how many each reason cost. */
  skipReasons: Record<string, number>;
  /** The first few skipped lines, "file:line: reason". */
  problems: string[];
  /** Lines whose records were outside the categories asked for (not stored, not errors). */
  outside: number;
}

export interface ImportOptions {
  store: PaperStore;
  index?: PaperIndex;
  /** "cs.CL", "cs.*": only papers with one of them are stored. All when absent. */
  categories?: string[];
  onProgress?: (progress: ImportProgress) => void;
  /** Stop after the batch being stored (Ctrl-C); the checkpoint says where to go on. */
  stop?: AbortSignal;
}

/**
 * Streams the snapshot into the store in batches, memory bounded by one batch. Resumable: after
 * each stored batch the byte offset is saved, and a rerun of the same file (same path, size and
 * modification time) goes on from there. Idempotent: papers are upserted by arXiv id and merged
 * with the copy another source stored. Bad lines are skipped and counted.
 */
export async function importArxivSnapshot(file: string, options: ImportOptions): Promise<ImportReport> {
  const { size, mtimeMs } = statSync(file);
  const key = fileKey(file, size, mtimeMs, options.categories);
  const saved = await options.store.importCheckpoint(key);
  const report: ImportReport = {
    ...(saved ?? { offset: 0, line: 0, stored: 0, skipped: 0, done: false }),
    alreadyDone: saved?.done ?? false,
    resumedAt: saved?.offset ?? 0,
    skipReasons: {},
    problems: [],
    outside: 0,
  };
  if (report.done) return report;
  const wanted = options.categories?.length ? categoryFilter(options.categories) : undefined;
  let batch: Paper[] = [];
  const flush = async (offset: number, line: number) => {
    await storePapers(batch, options);
    report.stored += batch.length;
    batch = [];
    report.offset = offset;
    report.line = line;
    await options.store.saveImportCheckpoint(key, checkpointOf(report));
    options.onProgress?.({ ...checkpointOf(report), bytes: offset, size });
    // The lines are read synchronously and SQLite stores synchronously: without a turn of the event
    // loop between batches, Ctrl-C (a signal handler) would not be seen until the whole file was read.
    await new Promise((resolve) => setImmediate(resolve));
  };
  const lines = readLines(file, {
    maxLineBytes: MAX_RECORD_BYTES,
    maxFileBytes: Number.POSITIVE_INFINITY,
    label: 'snapshot',
    skipInvalid: true,
    from: { offset: report.offset, line: report.line + 1 },
  });
  let last = report.line;
  for (const entry of lines) {
    last = entry.line;
    const problem = 'tooLong' in entry ? `longer than ${MAX_RECORD_BYTES} bytes` : 'notUtf8' in entry ? 'not valid UTF-8' : undefined;
    const result = problem ? { reason: problem } : 'text' in entry && entry.text.trim() ? toPaper(entry.text) : undefined;
    if (result && 'reason' in result) {
      report.skipped++;
      report.skipReasons[result.reason] = (report.skipReasons[result.reason] ?? 0) + 1;
      if (report.problems.length < NAMED_PROBLEMS) report.problems.push(`${file}:${entry.line}: ${result.reason}`);
    } else if (result && wanted && !result.categories?.some(wanted)) {
      report.outside++;
    } else if (result) {
      batch.push(result);
    }
    if (batch.length >= BATCH) {
      await flush(entry.end, entry.line);
      if (options.stop?.aborted) return report;
    }
  }
  report.done = true;
  await flush(size, last);
  return report;
}

function checkpointOf(report: ImportReport): ImportCheckpoint {
  return { offset: report.offset, line: report.line, stored: report.stored, skipped: report.skipped, done: report.done };
}

/** The same file (path, size, time) imported with the same categories resumes; another starts over. */
function fileKey(file: string, size: number, mtimeMs: number, categories: string[] | undefined): string {
  const what = JSON.stringify([resolve(file), size, Math.round(mtimeMs), [...(categories ?? [])].sort()]);
  return `arxiv-snapshot:${createHash('sha256').update(what).digest('hex').slice(0, 24)}`;
}

/** A snapshot line as a Paper, or why it cannot be one. */
export function toPaper(line: string): Paper | { reason: string } {
  let record: SnapshotRecord;
  try {
    const value: unknown = JSON.parse(line);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return { reason: 'not a JSON object' };
    record = value as SnapshotRecord;
  } catch {
    return { reason: 'not valid JSON' };
  }
  const id = typeof record.id === 'string' ? record.id.trim().replace(/v\d+$/, '') : '';
  if (!id) return { reason: 'id: missing or empty' };
  const parsed = PaperSchema.safeParse({
    id,
    title: typeof record.title === 'string' ? unwrap(record.title) : '',
    abstract: typeof record.abstract === 'string' ? unwrap(record.abstract) : '',
    authors: authorsOf(record),
    publishedAt: firstVersionDay(record.versions) ?? dayOf(record.update_date),
    links: { arxiv: `https://arxiv.org/abs/${id}`, pdf: `https://arxiv.org/pdf/${id}` },
    categories: typeof record.categories === 'string' ? record.categories.split(/\s+/).filter(Boolean) : [],
    source: 'arxiv',
  });
  return parsed.success ? parsed.data : { reason: skipReason(parsed.error) };
}

/** "Forenames Keyname Suffix" from authors_parsed; else the authors line split on commas and "and". */
function authorsOf(record: SnapshotRecord): string[] {
  if (Array.isArray(record.authors_parsed)) {
    return record.authors_parsed
      .filter((parts): parts is unknown[] => Array.isArray(parts))
      .map(([keyname, forenames, suffix]) =>
        [forenames, keyname, suffix].filter((part) => typeof part === 'string' && part.trim()).join(' '),
      )
      .filter(Boolean);
  }
  if (typeof record.authors !== 'string') return [];
  return record.authors
    .replace(/\s+/g, ' ')
    .split(/,\s*|\s+and\s+/)
    .map((name) => name.trim())
    .filter(Boolean);
}

/** "Mon, 2 Apr 2007 19:18:42 GMT" of the first version, as 2007-04-02. */
function firstVersionDay(versions: unknown): string | undefined {
  if (!Array.isArray(versions)) return undefined;
  const first = versions.find((version) => (version as { version?: unknown })?.version === 'v1') ?? versions[0];
  return dayOf((first as { created?: unknown } | undefined)?.created);
}

function dayOf(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  if (/^\d{4}-\d{2}-\d{2}/.test(value)) return value.slice(0, 10);
  const time = Date.parse(value);
  return Number.isNaN(time) ? undefined : new Date(time).toISOString().slice(0, 10);
}
