import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import type { Logger } from '../lib/logger.js';
import type { Corpus } from '../papers/corpus.js';
import { withStored } from '../papers/library.js';
import type { PaperStore } from '../papers/paper-store.js';
import type { Paper } from '../papers/paper.js';
import { buildIndex } from './paper-index.js';
import { indexFileMeta, indexMeta, loadIndex, loadIndexFile, streamIndex, type IndexMeta } from './serialize.js';
import type { SharedIndexStore } from './shared-snapshot.js';
import { takeInStored } from './stored-papers.js';
import type { PaperIndex } from './types.js';

export interface OpenedIndex {
  index: PaperIndex;
  /**
   * `snapshot`: loaded from the file, `shared`: from the replicas' shared snapshot (no file yet), then
   * the `added` papers stored since indexed on top; `built`: analysed from scratch.
   */
  how: 'snapshot' | 'shared' | 'built';
  added: number;
  /** Papers of the snapshot the store had removed since. */
  removed?: number;
  /** Where the store's change feed stands for this index: every paper written before it is in it (unset without a store). */
  cursor?: string;
  /** How many of the indexed papers are not the corpus file's (ingested ones). */
  fromStore: number;
  /** corpusDigest of the corpus file, for the snapshots saved later. */
  corpus: string;
}

/** What an index is opened over: the corpus file (the seed), and the store's papers unless the corpus file is searched alone. */
export interface IndexSources {
  corpus: Corpus;
  store?: Pick<PaperStore, 'changeCursor' | 'allPapers' | 'papersChangedSince'>;
}

/** Where snapshots are kept: this process's file, and (Postgres) the one the replicas share. */
export interface SnapshotPlaces {
  file?: string | undefined;
  shared?: SharedIndexStore | undefined;
}

/** What a snapshot records of its origin (serialize.ts's meta). */
export interface IndexOrigin {
  /** corpusDigest of the corpus file the index holds. */
  corpus: string;
  /** The store's change cursor the index is current to; unset when a corpus file was indexed alone. */
  cursor?: string;
}

/**
 * The index over the corpus file and the store's papers. Start-up reads a snapshot (the local file,
 * else the replicas' shared one) that holds the papers themselves, then only the papers the store's
 * change feed has written since the snapshot's cursor: at a million papers, reading them all from the
 * store would take longer than loading the snapshot. A snapshot of another corpus file, another
 * store (the cursor says whose it is), or one that does not load is logged and the index is built
 * from all the papers. Never throws over a snapshot.
 */
export async function openIndex(sources: IndexSources, places: SnapshotPlaces, logger: Logger): Promise<OpenedIndex> {
  const started = performance.now();
  const corpus = corpusDigest(sources.corpus.papers);
  const opened = (await fromSnapshot(sources, corpus, places, logger)) ?? (await built(sources));
  const ms = Math.round(performance.now() - started);
  // Said when a person would notice the wait (a large library); a small one starts quietly.
  const fields = { how: opened.how, papers: opened.index.size, added: opened.added, ms };
  if (ms >= 1_000) logger.info('search index ready', fields);
  else logger.debug('search index ready', fields);
  const fromStore = opened.index.size - sources.corpus.papers.filter(({ id }) => opened.index.get(id)).length;
  return { ...opened, fromStore, corpus };
}

type Opened = Omit<OpenedIndex, 'fromStore' | 'corpus'>;

async function fromSnapshot(sources: IndexSources, corpus: string, places: SnapshotPlaces, logger: Logger): Promise<Opened | undefined> {
  const found = await readSnapshot(places, logger);
  if (!found) return undefined;
  try {
    const origin = originOf('file' in found ? indexFileMeta(found.file) : indexMeta(found.bytes));
    if (origin.corpus !== corpus) throw new Error('it holds another version of the corpus file');
    if ((origin.cursor === undefined) !== (sources.store === undefined))
      throw new Error(sources.store ? 'it indexes a corpus file alone' : 'it holds the store’s papers');
    // From a file, the papers are read into memory in the background: search starts at once.
    const index = 'file' in found ? loadIndexFile(found.file).index : loadIndex(found.bytes);
    if (!sources.store || origin.cursor === undefined) return { index, how: found.how, added: 0 };
    const changes = await sources.store.papersChangedSince(origin.cursor);
    const { taken, removed } = takeInStored(index, changes);
    return { index, how: found.how, added: taken.length, removed, cursor: changes.cursor };
  } catch (error) {
    logger.warn('search index snapshot not used; building the index from the papers', {
      from: found.how === 'snapshot' ? places.file : 'shared',
      reason: (error as Error).message,
    });
    return undefined;
  }
}

async function built(sources: IndexSources): Promise<Opened> {
  const { store } = sources;
  // Taken before the papers are read, so a paper stored meanwhile is fed later, never missed.
  const cursor = store ? await store.changeCursor() : undefined;
  const papers = store ? withStored(sources.corpus.papers, await store.allPapers()) : sources.corpus.papers;
  return { index: buildIndex(papers), how: 'built', added: papers.length, ...(cursor === undefined ? {} : { cursor }) };
}

/** The local file when there is one (loaded from where it is), else the shared snapshot's bytes. */
async function readSnapshot(
  places: SnapshotPlaces,
  logger: Logger,
): Promise<{ file: string; how: 'snapshot' } | { bytes: Uint8Array; how: 'shared' } | undefined> {
  if (places.file && existsSync(places.file)) return { file: places.file, how: 'snapshot' };
  if (!places.shared) return undefined;
  try {
    const shared = await places.shared.latestIndexSnapshot();
    return shared && { bytes: shared.bytes, how: 'shared' };
  } catch (error) {
    logger.warn('shared search index snapshot unreadable; building the index', { error: (error as Error).message });
    return undefined;
  }
}

function originOf(meta: IndexMeta): IndexOrigin {
  if (typeof meta.corpus !== 'string') throw new Error('it does not say what it was saved from');
  return { corpus: meta.corpus, ...(typeof meta.cursor === 'string' ? { cursor: meta.cursor } : {}) };
}

/** A digest of the corpus file's papers (the seed): a snapshot holds them, so it fits only the same. */
export function corpusDigest(papers: readonly Paper[]): string {
  const hash = createHash('sha256');
  for (const paper of papers) hash.update(JSON.stringify(paper)).update('\n');
  return hash.digest('hex').slice(0, 16);
}

/**
 * Streams the index to `file` (streamIndex: search goes on meanwhile) through a temporary file,
 * flushed to disk and renamed over it, so that a crash or a power cut mid-write leaves the previous
 * snapshot, never half of one.
 */
export async function saveIndexFile(index: PaperIndex, file: string, origin: () => IndexOrigin): Promise<number> {
  const temporary = `${file}.${process.pid}.tmp`;
  const handle = await open(temporary, 'w');
  let bytes = 0;
  try {
    for await (const part of streamIndex(index, () => ({ ...origin() }))) {
      for (let done = 0; done < part.byteLength; ) done += (await handle.write(part, done)).bytesWritten;
      bytes += part.byteLength;
    }
    await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(temporary, { force: true });
    throw error;
  }
  await handle.close();
  await rename(temporary, file);
  return bytes;
}

/** The shared snapshot is replaced at most this often: at a million papers it is over a gigabyte. */
const SHARED_EVERY_MS = 6 * 3_600_000;

/**
 * Persists the index a while after papers arrive (one write for a burst of ingested days) and once
 * after a start-up that had to index papers: to the local file each time, and to the shared snapshot
 * when the one in the store is missing or over six hours old, whichever replica saved it (a new
 * replica catches up from the papers stored since). Saving streams the index a slice at a time, so
 * search goes on meanwhile; one save runs at a time. Failures are logged; search goes on from memory.
 */
export function indexPersister(
  index: PaperIndex,
  places: SnapshotPlaces,
  logger: Logger,
  origin: () => IndexOrigin,
  delayMs = 60_000,
): { changed(): void; saveSoon(): void; stop(): void; saved(): Promise<void> } {
  let timer: NodeJS.Timeout | undefined;
  let saving: Promise<void> = Promise.resolve();
  const save = async () => {
    let written: string | undefined;
    if (places.file) {
      const started = performance.now();
      try {
        const bytes = await saveIndexFile(index, places.file, origin);
        written = places.file;
        noteSaved(logger, { to: 'file', papers: index.size, bytes, ms: Math.round(performance.now() - started) });
      } catch (error) {
        logger.warn('search index not saved; the next start builds it', { file: places.file, error: (error as Error).message });
      }
    }
    // The file just written is the snapshot to share: serializing the index again would double the work.
    const parts = () =>
      written ? createReadStream(written, { highWaterMark: SHARE_READ_BYTES }) : streamIndex(index, () => ({ ...origin() }));
    if (places.shared) await shareIfStale(places.shared, parts, index.size, logger);
  };
  const write = () => {
    timer = undefined;
    saving = saving.then(save);
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
    /** Settles when the save under way (if any) is done: the file written, the shared snapshot in the store. */
    saved: () => saving,
  };
}

/** Chunks the shared snapshot is read from the local file in (the store rechunks them into its rows). */
const SHARE_READ_BYTES = 16 * 2 ** 20;

async function shareIfStale(
  shared: SharedIndexStore,
  parts: () => AsyncIterable<Uint8Array>,
  papers: number,
  logger: Logger,
): Promise<void> {
  try {
    const savedAt = await shared.indexSnapshotSavedAt();
    if (savedAt && Date.now() - savedAt.getTime() < SHARED_EVERY_MS) return;
    const started = performance.now();
    await shared.saveIndexSnapshot(parts());
    noteSaved(logger, { to: 'shared', papers, ms: Math.round(performance.now() - started) });
  } catch (error) {
    logger.warn('shared search index snapshot not saved; a new replica builds its index', { error: (error as Error).message });
  }
}

/** Said when it took noticeably long (a large library); a small one saves quietly. */
function noteSaved(logger: Logger, fields: { to: string; papers: number; bytes?: number; ms: number }): void {
  if (fields.ms >= 1_000) logger.info('search index saved', fields);
  else logger.debug('search index saved', fields);
}
