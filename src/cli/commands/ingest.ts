import { datesBetween, describeSkips, ingestDays, totalSkips, type IngestReport } from '../../papers/ingest.js';
import { isoDate, UsageError, type Flags } from '../flags.js';
import { EXIT, type CliIo } from '../io.js';
import type { AppStore } from '../../store/open.js';
import { utcDay } from '../../lib/days.js';

/** The most days one run fetches: a year of Daily Papers. */
const MAX_DAYS = 366;

/** `paperboy ingest [--date D | --since D]`: Daily Papers into the store, today's by default. */
export async function ingest(flags: Flags, io: CliIo, store: () => Promise<AppStore>, today = utcDay()): Promise<number> {
  const dates = datesToFetch(flags, today);
  const reports = await ingestDays(dates, {
    store: await store(),
    hf: { endpoint: io.env.HF_ENDPOINT || undefined, token: io.env.HF_TOKEN || undefined, log: io.err },
    onDay: (report, done) => io.status?.(progress(report, done, dates.length)),
  });
  io.status?.('');
  for (const report of reports) if (report.error) io.err(`${report.date}: ${report.error}`);
  const papers = reports.reduce((sum, report) => sum + report.papers, 0);
  const failed = reports.filter((report) => report.error).length;
  const skipped = reports.reduce((sum, report) => sum + report.skipped, 0);
  io.out(
    `Stored ${papers} papers from ${dates.length - failed} of ${dates.length} days` +
      (skipped ? ` (${skipped} unusable ${skipped === 1 ? 'item' : 'items'} skipped: ${describeSkips(totalSkips(reports))})` : '') +
      (failed ? `; ${failed} days could not be fetched, the papers already stored are kept.` : '.'),
  );
  return failed === dates.length ? EXIT.noMatch : EXIT.ok;
}

function datesToFetch(flags: Flags, today: string): string[] {
  if (flags.date && flags.since) throw new UsageError('give --date D or --since D, not both');
  if (!flags.since) return [flags.date ? isoDate(flags.date, 'date') : today];
  const since = isoDate(flags.since, 'since');
  if (since > today) throw new UsageError(`--since ${since} is in the future`);
  const dates = datesBetween(since, today);
  if (dates.length > MAX_DAYS) throw new UsageError(`--since reaches back ${dates.length} days; at most ${MAX_DAYS} in one run`);
  return dates;
}

function progress(report: IngestReport, done: number, total: number): string {
  const width = 20;
  const filled = Math.round((done / total) * width);
  const outcome = report.error ? 'failed' : `${report.papers} papers`;
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}  ${report.date}: ${outcome}`;
}
