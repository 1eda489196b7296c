import type { Paper } from '../papers/paper.js';

/** One UTC day's papers from one source. */
export interface SourceDay {
  date: string;
  /** In the source's own order; a trending source sets each paper's `trending` ({date, rank}). */
  papers: Paper[];
  /** Items that could not be used (no id, no title, ...), skipped. */
  skipped: number;
  /** Why items were skipped: a short reason a person can read, and how many items it cost. */
  skipReasons: Record<string, number>;
}

/**
 * Where papers come from (Hugging Face Daily Papers, arXiv, ...), behind one seam: ingestion, the
 * hourly refresh and the CLI loop over the configured sources (PAPERBOY_SOURCES). A range is
 * fetched day by day, so that a day is the unit that is stored, reported and resumed.
 */
export interface PaperSource {
  /** The name PAPERBOY_SOURCES and logs use: "hf", "arxiv". */
  readonly name: string;
  /** Whether its papers carry a trending rank (the trending digest reads those). */
  readonly trending: boolean;
  /**
   * How long after a UTC day ends its list is final, when the source still adds to a day after it
   * ends; a day fetched before then is fetched again by the next run. 0 when unset.
   */
  readonly settlesAfterMs?: number;
  /** Every paper of one UTC day (YYYY-MM-DD); throws when the day cannot be fetched whole. */
  fetchDay(date: string): Promise<SourceDay>;
}
