import type { Paper } from './paper.js';

/** Papers and the days they trended: what ingestion writes and the index and digest read. */
export interface PaperStore {
  /** Inserts new papers and replaces known ones (by id); trending entries are kept per date. */
  upsertPapers(papers: Paper[]): Promise<void>;
  /** Deletes papers and their trending entries (unknown ids are ignored). */
  removePapers(ids: string[]): Promise<void>;
  /** Every stored paper, with its most recent trending entry. */
  allPapers(): Promise<Paper[]>;
  /**
   * A position in the store's change feed: every paper written before it is in a later allPapers(),
   * every paper written after it in papersChangedSince(it). Taken before reading allPapers().
   */
  changeCursor(): Promise<string>;
  /**
   * The papers written (inserted or replaced, by any process) since the cursor, each with its most
   * recent trending entry, the ids of papers removed since (a removed paper written again is in both:
   * apply removals first), and the cursor to ask from next. None is skipped, even when writers commit
   * out of order; one may come twice. Throws for a cursor of another store.
   */
  papersChangedSince(cursor: string): Promise<PaperChanges>;
  /** The day's papers in trending order (rank 1 first), each with that day's trending entry. */
  trendingOn(date: string): Promise<Paper[]>;
  /** The latest date with trending papers on or before `date` (YYYY-MM-DD), if any. */
  latestTrendingDate(onOrBefore: string): Promise<string | undefined>;
  /** Records that `date`'s list was fetched after the day ended (UTC): it is final, even when empty. */
  markDayClosed(date: string, papers: number): Promise<void>;
  /** Of the days from..to (both included): those whose list is final, and those with any papers at all. */
  daysHeld(from: string, to: string): Promise<{ closed: Set<string>; withPapers: Set<string> }>;
  /** The stored papers with these ids (unknown ids are left out), each with its most recent trending entry. */
  papersByIds(ids: string[]): Promise<Paper[]>;
  /**
   * Papers arXiv knows (they have categories) whose first version is dated from..to (both included),
   * newest first, without trending entries: the arXiv digest's candidates (an indexed column).
   */
  arxivPapersBetween(from: string, to: string): Promise<Paper[]>;
  /** The newest first-version day of such papers on or before `date`; undefined when the store has none. */
  latestArxivDay(onOrBefore: string): Promise<string | undefined>;
  /** Records that `source` gave `date` whole after the day ended: a backfill need not fetch it again. */
  markSourceDay(source: string, date: string, papers: number): Promise<void>;
  /** Of the days from..to (both included), those `source` gave whole after they ended. */
  sourceDaysDone(source: string, from: string, to: string): Promise<Set<string>>;
  /** How far an import of the file known by `fileKey` has read, if it has begun. */
  importCheckpoint(fileKey: string): Promise<ImportCheckpoint | undefined>;
  saveImportCheckpoint(fileKey: string, checkpoint: ImportCheckpoint): Promise<void>;
}

/** Where a bulk import stopped: the byte offset after the last line whose papers are stored. */
export interface ImportCheckpoint {
  offset: number;
  line: number;
  stored: number;
  skipped: number;
  /** The whole file was read. */
  done: boolean;
}

/** What the store's change feed gives: see PaperStore.papersChangedSince. */
export interface PaperChanges {
  papers: Paper[];
  removed: string[];
  cursor: string;
}
