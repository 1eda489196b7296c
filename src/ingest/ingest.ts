import { ZodError } from 'zod';
import type { PaperIndex } from '../search/types.js';
import type { PaperStore } from '../papers/paper-store.js';
import type { Paper } from '../papers/paper.js';
import { mergePaper } from '../papers/merge.js';
import { slugify } from '../papers/slug.js';
import type { PaperSource } from './source.js';
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

export interface IngestDeps {
  store: PaperStore;
  index?: PaperIndex;
  source: PaperSource;
  onDay?: (report: IngestReport, done: number) => void;
  /** Given each day's stored papers, e.g. to embed them for semantic search (in the background). */
  onStored?: (papers: Paper[]) => void;
  /** Stop before the next day (Ctrl-C): the days done are kept and recorded. */
  stop?: AbortSignal;
  now?: () => Date;
}

/**
 * Fetches each day from the source, stores its papers and makes them searchable at once (no
 * restart). A day that fails is reported and the rest go on: with no network the bot keeps what
 * it has. A day fetched whole after it ended (UTC) is recorded as done for that source, and for
 * the trending source as final for the digests.
 */
export async function ingestDays(dates: string[], deps: IngestDeps): Promise<IngestReport[]> {
  const reports: IngestReport[] = [];
  const now = deps.now ?? (() => new Date());
  for (const date of dates) {
    if (deps.stop?.aborted) break;
    let report: IngestReport;
    const started = now();
    try {
      const day = await deps.source.fetchDay(date);
      await storePapers(day.papers, deps);
      if (settled(date, deps.source, started)) await markDone(deps, date, day.papers.length);
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
  const merged = await mergedWithStored(papers, deps.store);
  const copies = seedCopies(merged);
  await deps.store.removePapers(copies);
  // The store keeps every day's trending entry: it gets each record's own (none for an arXiv record).
  await deps.store.upsertPapers(merged.map((paper, i) => withTrending(paper, papers[i]!.trending)));
  deps.index?.remove(copies);
  // The index holds one copy, with the latest day it trended: an arXiv record does not erase it.
  deps.index?.upsert(merged);
  deps.onStored?.(merged);
}

function withTrending({ trending: _latest, ...paper }: Paper, trending: Paper['trending']): Paper {
  return trending ? { ...paper, trending } : paper;
}

/** Whether the day's list was final when the fetch began: the day had ended (UTC), and the source's settling time passed. */
function settled(date: string, source: PaperSource, at: Date): boolean {
  return Date.parse(`${addDays(date, 1)}T00:00:00Z`) + (source.settlesAfterMs ?? 0) <= at.getTime();
}

async function markDone(deps: IngestDeps, date: string, papers: number): Promise<void> {
  await deps.store.markSourceDay(deps.source.name, date, papers);
  if (deps.source.trending) await deps.store.markDayClosed(date, papers);
}

/** The days of `dates` (in order) still to fetch from a source: those it has not given whole after they ended. */
export async function daysToFetch(dates: string[], source: string, store: PaperStore): Promise<string[]> {
  if (!dates.length) return [];
  const done = await store.sourceDaysDone(source, dates[0]!, dates.at(-1)!);
  return dates.filter((date) => !done.has(date));
}

/** The batch, each paper merged with the copy another source stored (never two copies of one paper). */
async function mergedWithStored(papers: Paper[], store: PaperStore): Promise<Paper[]> {
  const stored = new Map((await store.papersByIds(papers.map((paper) => paper.id))).map((paper) => [paper.id, paper]));
  return papers.map((paper) => {
    const known = stored.get(paper.id);
    if (!known) return paper;
    const trending = [known.trending, paper.trending]
      .filter((entry) => entry !== undefined)
      .sort((a, b) => b.date.localeCompare(a.date))[0];
    return { ...mergePaper(known, paper), ...(trending ? { trending } : {}) };
  });
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
