import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { Logger } from '../lib/logger.js';
import type { Paper } from '../papers/paper.js';
import { buildIndex } from './paper-index.js';
import { indexedPaperIds, loadIndex, serializeIndex } from './serialize.js';
import type { PaperIndex } from './types.js';

export interface OpenedIndex {
  index: PaperIndex;
  /** `snapshot`: loaded from the file, then `added` papers indexed on top; `built`: analysed from scratch. */
  how: 'snapshot' | 'built';
  added: number;
}

/**
 * The index over `papers`, loaded from the snapshot in `file` when it fits (the same analysis, and
 * every paper it indexed still there with the same text) and brought up to date by indexing only the
 * papers that arrived since; otherwise built from scratch. Never throws over a bad or old file: it
 * says why in the log and builds. (100k papers: built in about 21 s, loaded in about 0.5 s.)
 */
export function openIndex(papers: Paper[], file: string | undefined, logger: Logger): OpenedIndex {
  const started = performance.now();
  const done = (index: PaperIndex, how: OpenedIndex['how'], added: number): OpenedIndex => {
    const ms = performance.now() - started;
    // Said when a person would notice the wait (a large library); a small one starts quietly.
    const fields = { how, papers: index.size, added, ms: Math.round(ms) };
    if (ms >= 1_000) logger.info('search index ready', fields);
    else logger.debug('search index ready', fields);
    return { index, how, added };
  };
  const bytes = file ? readSnapshot(file, logger) : undefined;
  if (bytes) {
    try {
      const byId = new Map(papers.map((paper) => [paper.id, paper]));
      const ids = indexedPaperIds(bytes);
      const gone = ids.filter((id) => !byId.has(id));
      if (gone.length) throw new Error(`${gone.length} papers it indexed are no longer stored`);
      const index = loadIndex(
        bytes,
        ids.map((id) => byId.get(id)!),
      );
      const indexed = new Set(ids);
      const newer = papers.filter((paper) => !indexed.has(paper.id));
      if (newer.length) index.upsert(newer);
      return done(index, 'snapshot', newer.length);
    } catch (error) {
      logger.warn('search index snapshot not used; building the index from the papers', { file, reason: (error as Error).message });
    }
  }
  return done(buildIndex(papers), 'built', papers.length);
}

function readSnapshot(file: string, logger: Logger): Uint8Array | undefined {
  try {
    return readFileSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
      logger.warn('search index snapshot unreadable', { file, error: (error as Error).message });
    return undefined;
  }
}

/**
 * Writes the index to `file` as a whole, through a temporary file renamed over it, so that a crash
 * mid-write leaves the previous snapshot, never half of one. Serializing blocks the event loop
 * (about 0.3 s at 100k papers), so it runs after start-up and when papers have arrived, not per query.
 */
export function persistIndex(index: PaperIndex, file: string): void {
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, serializeIndex(index));
  renameSync(temporary, file);
}

/**
 * Persists the index a while after papers arrive (one write for a burst of ingested days) and once
 * after a start-up that had to index papers. Failures are logged; search goes on from memory.
 */
export function indexPersister(
  index: PaperIndex,
  file: string,
  logger: Logger,
  delayMs = 60_000,
): { changed(): void; saveSoon(): void; stop(): void } {
  let timer: NodeJS.Timeout | undefined;
  const write = () => {
    timer = undefined;
    const started = performance.now();
    try {
      persistIndex(index, file);
      const ms = Math.round(performance.now() - started);
      // Said when it held up the process noticeably (a large library); a small one saves quietly.
      if (ms >= 1_000) logger.info('search index saved', { file, papers: index.size, ms });
      else logger.debug('search index saved', { file, papers: index.size, ms });
    } catch (error) {
      logger.warn('search index not saved; the next start builds it', { file, error: (error as Error).message });
    }
  };
  return {
    changed() {
      timer ??= setTimeout(write, delayMs).unref();
    },
    /** Right after start-up, once the process is serving: an index built from scratch is worth keeping at once. */
    saveSoon() {
      if (timer) clearTimeout(timer);
      timer = setTimeout(write, 0).unref();
    },
    stop() {
      if (timer) clearTimeout(timer);
      timer = undefined;
    },
  };
}
