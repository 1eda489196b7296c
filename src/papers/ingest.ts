import type { PaperIndex } from '../search/types.js';
import type { PaperStore } from './paper-store.js';
import type { Paper } from './paper.js';
import { slugify } from './slug.js';
import { fetchDailyPapers, type HfClientOptions } from './sources/hf-daily-papers.js';
import { addDays } from '../lib/days.js';

export interface IngestReport {
  date: string;
  papers: number;
  skipped: number;
  /** Why the day could not be fetched; the other days go on. */
  error?: string;
}

/**
 * Fetches each day's Daily Papers, stores them and makes them searchable at once (no restart).
 * A day that fails is reported and the rest go on: with no network the bot keeps what it has.
 */
export async function ingestDays(
  dates: string[],
  deps: { store: PaperStore; index?: PaperIndex; hf: HfClientOptions; onDay?: (report: IngestReport, done: number) => void },
): Promise<IngestReport[]> {
  const reports: IngestReport[] = [];
  for (const date of dates) {
    let report: IngestReport;
    try {
      const day = await fetchDailyPapers(date, deps.hf);
      if (day.papers.length) {
        const copies = seedCopies(day.papers);
        await deps.store.removePapers(copies);
        await deps.store.upsertPapers(day.papers);
        deps.index?.remove(copies);
        deps.index?.upsert(day.papers);
      }
      report = { date, papers: day.papers.length, skipped: day.skipped };
    } catch (error) {
      report = { date, papers: 0, skipped: 0, error: (error as Error).message };
    }
    reports.push(report);
    deps.onDay?.(report, reports.length);
  }
  return reports;
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
