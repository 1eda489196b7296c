import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { z } from 'zod';
import type { PaperStore } from '../papers/paper-store.js';
import { PaperSchema, type Paper } from '../papers/paper.js';
import { storePapers } from './ingest.js';
import { unwrap } from './sources/hf-daily-papers.js';
import { categoryFilter, skipReason } from './sources/arxiv-oai.js';

/*
 * The public arXiv metadata snapshot (Kaggle "Cornell-University/arxiv",
 * arxiv-metadata-oai-snapshot.json): JSON Lines, one record a line, about 2.7 million records and
 * several GB. It is read as a stream of bytes, a batch of records at a time, so memory stays
 * bounded whatever the file's size; after each batch is stored, the byte offset after its last
 * line is kept in the store, so that a rerun after an interruption continues there. Storing is an
 * upsert by arXiv id, so a batch stored twice (a crash between storing and the checkpoint) or a
 * whole file imported twice leaves the same store.
 */

/** Records stored per batch: large enough to amortise a transaction, small enough to bound memory. */
export const BATCH_RECORDS = 2_000;
/** An arXiv record is a few KB; a line this long is not one (and is never held whole in memory). */
export const MAX_LINE_BYTES = 256 * 1024;
/** Bad lines are counted; the first few are named (file:line) so that they can be looked at. */
const BAD_LINES_NAMED = 5;

/** A record of the snapshot, the fields read here (the others — submitter, comments, doi, ... — are ignored). */
const SnapshotRecordSchema = z.object({
  id: z.string().trim().min(1),
  title: z.string().trim().min(1),
  abstract: z.string().nullish(),
  /** "C. Bal\\'azs, E. L. Berger, P. M. Nadolsky", used when authors_parsed is absent. */
  authors: z.string().nullish(),
  /** [[keyname, forenames, suffix], ...] in reading order. */
  authors_parsed: z.array(z.array(z.string().nullish())).nullish(),
  /** Space-separated, primary first: "cs.CL cs.LG". */
  categories: z.string().nullish(),
  /** Oldest first; created as RFC 2822: "Mon, 2 Apr 2007 19:18:42 GMT". */
  versions: z.array(z.object({ created: z.string().nullish() }).loose()).nullish(),
  update_date: z.string().nullish(),
});
type SnapshotRecord = z.infer<typeof SnapshotRecordSchema>;

/** New-style ids (0704.0001, 2503.12345) and old-style ones (hep-th/9901001, math.GT/0309136), version left off. */
const ARXIV_ID = /^(\d{4}\.\d{4,5}|[a-z-]+(\.[A-Z]{2})?\/\d{7})$/;

export interface SnapshotProgress {
  /** Bytes of the file read so far, counting those a previous run read. */
  bytesRead: number;
  totalBytes: number;
  lines: number;
  stored: number;
  skipped: number;
}

export interface SnapshotImportOptions {
  store: PaperStore;
  /** "cs.CL", "cs.*": keep only records with one of these categories (all when absent). */
  categories?: string[];
  batchSize?: number;
  /** After each batch is stored. */
  onBatch?: (progress: SnapshotProgress) => void;
  /** Before reading, when an earlier run stopped part-way: where this one continues. */
  onResume?: (bytes: number, lines: number) => void;
  /** Stop after the batch being stored (Ctrl-C); the checkpoint is kept. */
  stop?: AbortSignal;
}

export interface SnapshotImportReport {
  /** The byte offset this run started from (0 on a first run). */
  resumedFrom: number;
  /** The file was imported whole before: nothing was read. */
  alreadyDone: boolean;
  /** Stopped before the end (stop signal): a rerun continues. */
  stopped: boolean;
  /** Totals over every run on this file (a resumed run adds to the earlier one's). */
  lines: number;
  stored: number;
  skipped: number;
  /** Left out by the category filter in this run. */
  filtered: number;
  /** This run's reasons for skipping, with how many each cost. */
  skipReasons: Record<string, number>;
  /** The first few bad lines of this run, as "file:line: reason". */
  badLines: string[];
}

/** Imports the snapshot file into the store, resuming where an earlier run on the same file stopped. */
export async function importArxivSnapshot(file: string, options: SnapshotImportOptions): Promise<SnapshotImportReport> {
  const { size, mtimeMs } = await stat(file);
  const wanted = options.categories?.length ? categoryFilter(options.categories) : undefined;
  // The same file (name, size and time) with the same filter continues; a changed file starts again.
  const key = `arxiv-snapshot:${basename(file)}:${size}:${Math.trunc(mtimeMs)}:${options.categories?.join(',') ?? '*'}`;
  const at = (await options.store.importCheckpoint(key)) ?? { offset: 0, line: 0, stored: 0, skipped: 0, done: false };
  const report: SnapshotImportReport = {
    resumedFrom: at.offset,
    alreadyDone: at.done,
    stopped: false,
    lines: at.line,
    stored: at.stored,
    skipped: at.skipped,
    filtered: 0,
    skipReasons: {},
    badLines: [],
  };
  if (at.done) return report;
  if (at.offset) options.onResume?.(at.offset, at.line);
  const batchSize = options.batchSize ?? BATCH_RECORDS;
  let batch = new Map<string, Paper>();
  let offset = at.offset;
  let sinceFlush = 0;
  const flush = async (done: boolean) => {
    const papers = [...batch.values()];
    batch = new Map();
    await storePapers(papers, { store: options.store });
    report.stored += papers.length;
    await options.store.saveImportCheckpoint(key, { offset, line: report.lines, stored: report.stored, skipped: report.skipped, done });
    options.onBatch?.({ bytesRead: offset, totalBytes: size, lines: report.lines, stored: report.stored, skipped: report.skipped });
  };
  const skip = (reason: string) => {
    report.skipped++;
    report.skipReasons[reason] = (report.skipReasons[reason] ?? 0) + 1;
    if (report.badLines.length < BAD_LINES_NAMED) report.badLines.push(`${file}:${report.lines}: ${reason}`);
  };
  for await (const lines of linesOf(file, at.offset)) {
    for (const line of lines) {
      report.lines++;
      offset = line.end;
      const result = line.text === undefined ? { reason: `line longer than ${MAX_LINE_BYTES / 1024} KB` } : recordToPaper(line.text);
      if (result === 'blank') continue;
      if ('reason' in result) skip(result.reason);
      else if (wanted && !result.categories?.some(wanted)) report.filtered++;
      // A later line with the same id (the snapshot has none) replaces the earlier one, as a rerun would.
      else batch.set(result.id, result);
      // Counted in lines, not papers, so that a filter keeping few still checkpoints often.
      if (++sinceFlush >= batchSize) {
        sinceFlush = 0;
        await flush(false);
        if (options.stop?.aborted) {
          report.stopped = true;
          return report;
        }
      }
    }
  }
  await flush(true);
  return report;
}

/** One line of the file: its text (undefined when too long to be a record) and the byte offset after it. */
interface Line {
  text: string | undefined;
  end: number;
}

/**
 * The lines of the file from byte `start`, a chunk's worth at a time, each with the byte offset
 * after it (a checkpoint must be a byte offset: resuming a multi-GB file by counting lines would
 * read it all again). A line longer than MAX_LINE_BYTES is dropped as it streams by, never held.
 */
async function* linesOf(file: string, start: number): AsyncGenerator<Line[]> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let overlong = false;
  let position = start;
  for await (const chunk of createReadStream(file, { start, highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    const lines: Line[] = [];
    let from = 0;
    for (let newline = chunk.indexOf(10); newline !== -1; newline = chunk.indexOf(10, from)) {
      const piece = chunk.subarray(from, newline);
      const tooLong = overlong || pendingBytes + piece.length > MAX_LINE_BYTES;
      const text = tooLong ? undefined : (pendingBytes ? Buffer.concat([...pending, piece]) : piece).toString('utf8');
      lines.push({ text, end: position + newline + 1 });
      pending = [];
      pendingBytes = 0;
      overlong = false;
      from = newline + 1;
    }
    const rest = chunk.subarray(from);
    if (!overlong && pendingBytes + rest.length > MAX_LINE_BYTES) {
      overlong = true;
      pending = [];
      pendingBytes = 0;
    } else if (!overlong && rest.length) {
      pending.push(rest);
      pendingBytes += rest.length;
    }
    position += chunk.length;
    if (lines.length) yield lines;
  }
  // The last line, when the file does not end with a newline.
  if (overlong || pendingBytes) yield [{ text: overlong ? undefined : Buffer.concat(pending).toString('utf8'), end: position }];
}

/** A line of the snapshot as a Paper, 'blank' for an empty line, or why it cannot be one. */
export function recordToPaper(line: string): Paper | 'blank' | { reason: string } {
  if (!line.trim()) return 'blank';
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    return { reason: 'not JSON' };
  }
  const record = SnapshotRecordSchema.safeParse(json);
  if (!record.success) return { reason: skipReason(record.error) };
  const id = record.data.id.replace(/v\d+$/, '');
  if (!ARXIV_ID.test(id)) return { reason: 'id: not an arXiv id' };
  const publishedAt = firstVersionDay(record.data);
  const paper = PaperSchema.safeParse({
    id,
    title: unwrap(record.data.title),
    abstract: unwrap(record.data.abstract ?? ''),
    authors: authorsOf(record.data),
    ...(publishedAt ? { publishedAt } : {}),
    links: { arxiv: `https://arxiv.org/abs/${id}`, pdf: `https://arxiv.org/pdf/${id}` },
    categories: (record.data.categories ?? '').split(/\s+/).filter(Boolean),
    source: 'arxiv',
  });
  return paper.success ? paper.data : { reason: skipReason(paper.error) };
}

/** "Forenames Keyname Suffix" in reading order, from authors_parsed, else the authors line split at commas and "and". */
function authorsOf(record: SnapshotRecord): string[] {
  if (record.authors_parsed?.length)
    return record.authors_parsed
      .map(([keyname, forenames, suffix]) => [forenames, keyname, suffix].filter((part) => part?.trim()).join(' '))
      .filter(Boolean);
  return (record.authors ?? '')
    .split(/,|\band\b/)
    .map((name) => name.trim())
    .filter(Boolean);
}

/** The day the first version was submitted (what "published" means on arXiv), else the record's update day. */
function firstVersionDay(record: SnapshotRecord): string | undefined {
  const created = Date.parse(record.versions?.[0]?.created ?? '');
  if (!Number.isNaN(created)) return new Date(created).toISOString().slice(0, 10);
  return record.update_date && /^\d{4}-\d{2}-\d{2}$/.test(record.update_date) ? record.update_date : undefined;
}
