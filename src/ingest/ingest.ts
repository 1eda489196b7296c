import { ZodError } from 'zod';
import type { PaperIndex } from '../search/types.js';
import type { PaperStore } from '../papers/paper-store.js';
import type { Paper } from '../papers/paper.js';
import { slugify } from '../papers/slug.js';
import { fetchDailyPapers, type HfClientOptions } from './sources/hf-daily-papers.js';
import { addDays } from '../lib/days.js';

export interface IngestReport {
  date: string;
  papers: number;
  skipped: number;
  /** Why items were skipped, with how many each reason cost (empty when none were). */
  skipReasons: Record<string, number>;
  /** Why the day could not be fetched; the other days go on. */
  error?: string;
}

/**
 * Fetches each day's Daily Papers, stores them and makes them searchable at once (no restart).
 * A day that fails is reported and the rest go on: with no network the bot keeps what it has.
 */
export async function ingestDays(
  dates: string[],
  deps: {
    store: PaperStore;
    index?: PaperIndex;
    hf: HfClientOptions;
    onDay?: (report: IngestReport, done: number) => void;
    /** Given each day's stored papers, e.g. to embed them for semantic search (in the background). */
    onStored?: (papers: Paper[]) => void;
  },
): Promise<IngestReport[]> {
  const reports: IngestReport[] = [];
  for (const date of dates) {
    let report: IngestReport;
    try {
      const day = await fetchDailyPapers(date, deps.hf);
      await storePapers(day.papers, deps);
      report = { date, papers: day.papers.length, skipped: day.skipped, skipReasons: day.skipReasons };
    } catch (error) {
      report = { date, papers: 0, skipped: 0, skipReasons: {}, error: dayError(error) };
    }
    reports.push(report);
    deps.onDay?.(report, reports.length);
  }
  return reports;
}

/**
 * Stores a batch of papers from any source and makes them searchable at once: the one way papers
 * enter the store, so that every source (and the bulk import) replaces a seed copy the same way.
 */
export async function storePapers(
  papers: Paper[],
  deps: { store: PaperStore; index?: PaperIndex; onStored?: (papers: Paper[]) => void },
): Promise<void> {
  if (!papers.length) return;
  const copies = seedCopies(papers);
  await deps.store.removePapers(copies);
  await deps.store.upsertPapers(papers);
  deps.index?.remove(copies);
  deps.index?.upsert(papers);
  deps.onStored?.(papers);
}

/** A day's failure in one line: a validation error's first issue, never a ZodError's JSON dump. */
function dayError(error: unknown): string {
  if (error instanceof ZodError) {
    const issue = error.issues[0];
    return `invalid data${issue ? ` (${issue.path.join('.') || 'item'}: ${issue.message})` : ''}`;
  }
  return error instanceof Error ? error.message : String(error);
}

/** "2 × paper.title: missing or empty; 1 × paper.id: expected an arXiv-style id" */
export function describeSkips(reasons: Record<string, number>): string {
  return Object.entries(reasons)
    .sort((a, b) => b[1] - a[1])
    .map(([reason, count]) => `${count} × ${reason}`)
    .join('; ');
}

/** Every report's skip reasons added up. */
export function totalSkips(reports: IngestReport[]): Record<string, number> {
  const total: Record<string, number> = {};
  for (const report of reports) for (const [reason, n] of Object.entries(report.skipReasons)) total[reason] = (total[reason] ?? 0) + n;
  return total;
}

/**
 * The ids a seed paper (known by title only, its id a slug of the title) has when its arXiv-id copy
 * arrives: the same rule as the library's merge at start-up, so the store and the live index hold one copy.
 */
function seedCopies(papers: Paper[]): string[] {
  return papers.map((paper) => slugify(paper.title)).filter((slug, i) => slug !== papers[i]!.id);
}

/** Every date from `since` to `until`, both included (YYYY-MM-DD, UTC calendar days). */
export function datesBetween(since: string, until: string): string[] {
  const dates: string[] = [];
  for (let day = since; day <= until; day = addDays(day, 1)) dates.push(day);
  return dates;
}
