import { datesBetween, ingestDays, describeSkips, totalSkips } from '../../ingest/ingest.js';
import { isoDate, UsageError, type Flags } from '../flags.js';
import { EXIT, terminalLogger, type CliIo } from '../io.js';
import type { AppStore } from '../../store/open.js';
import { utcDay } from '../../lib/days.js';
import { INGEST_HF, IngestProgress, plural } from '../ingest-progress.js';

/** The most days one run fetches: a year of Daily Papers. */
const MAX_DAYS = 366;

/** `paperboy ingest [--date D | --since D]`: Daily Papers into the store, today's by default. */
export async function ingest(flags: Flags, io: CliIo, store: () => Promise<AppStore>, today = utcDay()): Promise<number> {
  const dates = datesToFetch(flags, today);
  const opened = await store();
  const progress = new IngestProgress(dates, io);
  const reports = await ingestDays(dates, {
    store: opened,
    hf: { endpoint: io.settings.HF_ENDPOINT, token: io.settings.HF_TOKEN, logger: terminalLogger(io), onPage: progress.page, ...INGEST_HF },
    onDay: progress.dayDone,
  }).finally(() => progress.stop());
  for (const report of reports) if (report.error) io.err(`${report.date}: ${report.error}`);
  const papers = reports.reduce((sum, report) => sum + report.papers, 0);
  const failed = reports.filter((report) => report.error).length;
  const skipped = reports.reduce((sum, report) => sum + report.skipped, 0);
  io.out(
    `Stored ${plural(papers, 'paper')} from ${dates.length - failed} of ${plural(dates.length, 'day')}` +
      (skipped ? ` (${plural(skipped, 'unusable item')} skipped: ${describeSkips(totalSkips(reports))})` : '') +
      (failed ? `; ${plural(failed, 'day')} could not be fetched, the papers already stored are kept.` : '.'),
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
