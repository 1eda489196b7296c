import { ZodError } from 'zod';
import type { PaperIndex } from '../search/types.js';
import type { PaperStore } from '../papers/paper-store.js';
import type { Paper } from '../papers/paper.js';
import { slugify } from '../papers/slug.js';
import { addDays, utcDay } from '../lib/days.js';
import { mergePaper } from './merge.js';
import type { PaperSource } from './source.js';

export interface IngestReport {
  /** The source's name ("hf", "arxiv"). */
  source: string;
  date: string;
  papers: number;
  skipped: number;
  /** Why items were skipped, with how many each reason cost (empty when none were). */
  skipReasons: Record<string, number>;
  /** Why the day could not be fetched; the other days go on. */
  error?: string;
  /** Already fetched whole after it ended (a resumed backfill): not fetched again. */
  held?: true;
}

export interface IngestDeps {
  store: PaperStore;
  index?: PaperIndex;
  sources: PaperSource[];
  /** Days that had ended (UTC) when fetched whole are recorded closed for their source; the wall clock by default. */
  now?: () => Date;
  /** A backfill: a source's days already recorded closed are not fetched again (a rerun continues where it stopped). */
  resume?: boolean;
  /** Stops before the next day (Ctrl-C): the day under way is finished and stored first. */
  signal?: AbortSignal;
  /** After each source's day, with how many (source, day) pairs are done. */
  onDay?: (report: IngestReport, done: number) => void;
  /** Given each day's stored papers, e.g. to embed them for semantic search (in the background). */
  onStored?: (papers: Paper[]) => void;
}

/**
 * Fetches each day from each source, stores the papers and makes them searchable at once (no restart).
 * A day that fails is reported and the rest go on: with no network the bot keeps what it has. A day
 * fetched whole after it ended is recorded for its source (and, for the trending source, as the
 * digest's final day); one day at a time, sources in turn, so that a stop loses at most the day under way.
 */
export async function ingestDays(dates: string[], deps: IngestDeps): Promise<IngestReport[]> {
  const now = deps.now ?? (() => new Date());
  const reports: IngestReport[] = [];
  const held = new Map<string, Set<string>>();
  if (deps.resume && dates.length) {
    const [from, to] = [dates[0]!, dates.at(-1)!].sort();
    for (const source of deps.sources) held.set(source.name, await deps.store.sourceDaysClosed(source.name, from!, to!));
  }
  for (const date of dates) {
    for (const source of deps.sources) {
      if (deps.signal?.aborted) return reports;
      const report = held.get(source.name)?.has(date)
        ? { source: source.name, date, papers: 0, skipped: 0, skipReasons: {}, held: true as const }
        : await ingestDay(source, date, deps, now);
      reports.push(report);
      deps.onDay?.(report, reports.length);
    }
  }
  return reports;
}

async function ingestDay(source: PaperSource, date: string, deps: IngestDeps, now: () => Date): Promise<IngestReport> {
  const started = utcDay(now());
  try {
    const day = await source.fetchDay(date);
    await storePapers(day.papers, deps);
    if (date < started) {
      await deps.store.markSourceDayClosed(source.name, date, day.papers.length);
      if (source.trending) await deps.store.markDayClosed(date, day.papers.length);
    }
    return { source: source.name, date, papers: day.papers.length, skipped: day.skipped, skipReasons: day.skipReasons };
  } catch (error) {
    return { source: source.name, date, papers: 0, skipped: 0, skipReasons: {}, error: dayError(error) };
  }
}

/**
 * Stores a batch of papers from any source and makes them searchable at once: the one way papers
 * enter the store, so that every source (and the bulk import) replaces a seed copy the same way and
 * a paper already stored from another source is merged field by field (mergePaper), never duplicated.
 */
export async function storePapers(
  papers: Paper[],
  deps: { store: PaperStore; index?: PaperIndex; onStored?: (papers: Paper[]) => void },
): Promise<void> {
  if (!papers.length) return;
  const batch = [...new Map(papers.map((paper) => [paper.id, paper])).values()];
  const stored = new Map((await deps.store.papersByIds(batch.map((paper) => paper.id))).map((paper) => [paper.id, paper]));
  const merged = batch.map((paper) => {
    const known = stored.get(paper.id);
    return known ? mergePaper(known, paper) : paper;
  });
  const copies = seedCopies(merged);
  await deps.store.removePapers(copies);
  // The store keeps every day's trending entry: it is given this batch's own, not the merged latest.
  await deps.store.upsertPapers(merged.map((paper, i) => withTrending(paper, batch[i]!.trending)));
  deps.index?.remove(copies);
  deps.index?.upsert(merged);
  deps.onStored?.(merged);
}

function withTrending({ trending: _latest, ...paper }: Paper, trending: Paper['trending']): Paper {
  return trending ? { ...paper, trending } : paper;
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
