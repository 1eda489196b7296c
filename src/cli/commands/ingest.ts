import { datesBetween, ingestDays, describeSkips, totalSkips } from '../../ingest/ingest.js';
import { type SourceOptions, sourcesFrom } from '../../ingest/sources/registry.js';
import { isoDate, UsageError, type Flags } from '../flags.js';
import { EXIT, terminalLogger, type CliIo } from '../io.js';
import type { AppStore } from '../../store/open.js';
import { utcDay } from '../../lib/days.js';
import { INGEST_CLIENT, IngestProgress, plural } from '../ingest-progress.js';

/** Exit status of a run stopped by Ctrl-C (128 + SIGINT), as shells report it. */
const INTERRUPTED = 130;

/**
 * `paperboy ingest [--date D | --since D]`: each configured source's papers into the store, today's by
 * default. `--since` backfills every day to today, paced at each source's published rate limit; days
 * a source already gave whole after they ended are not fetched again, so a rerun continues where an
 * interrupted one stopped and a second run changes nothing. Ctrl-C stops after the day under way.
 */
export async function ingest(
  flags: Flags,
  io: CliIo,
  store: () => Promise<AppStore>,
  today = utcDay(),
  run: { sourceOptions?: SourceOptions; signal?: AbortSignal } = {},
): Promise<number> {
  const dates = datesToFetch(flags, today);
  const opened = await store();
  const names = io.settings.PAPERBOY_SOURCES;
  const progress = new IngestProgress(dates, io, names);
  const interrupt = new AbortController();
  const onSigint = () => interrupt.abort();
  if (!run.signal) process.once('SIGINT', onSigint);
  const signal = run.signal ?? interrupt.signal;
  const sources = sourcesFrom(io.settings, terminalLogger(io), {
    ...INGEST_CLIENT,
    paced: true,
    onPage: progress.page,
    ...run.sourceOptions,
  })();
  const reports = await ingestDays(dates, {
    store: opened,
    sources,
    resume: Boolean(flags.since),
    signal,
    onDay: progress.dayDone,
  }).finally(() => {
    progress.stop();
    process.removeListener('SIGINT', onSigint);
  });
  for (const report of reports) if (report.error) io.err(`${names.length > 1 ? `${report.source} ` : ''}${report.date}: ${report.error}`);
  const fetched = reports.filter((report) => !report.held);
  const held = reports.length - fetched.length;
  const papers = reports.reduce((sum, report) => sum + report.papers, 0);
  const failed = reports.filter((report) => report.error).length;
  const skipped = reports.reduce((sum, report) => sum + report.skipped, 0);
  const steps = dates.length * names.length;
  io.out(
    `Stored ${plural(papers, 'paper')} from ${fetched.length - failed} of ${plural(steps, 'day')}` +
      (held ? ` (${plural(held, 'day')} already stored whole, not fetched again)` : '') +
      (skipped ? ` (${plural(skipped, 'unusable item')} skipped: ${describeSkips(totalSkips(reports))})` : '') +
      (failed ? `; ${plural(failed, 'day')} could not be fetched, the papers already stored are kept.` : '.'),
  );
  if (signal.aborted && reports.length < steps) {
    const last = reports.at(-1);
    io.err(
      `Stopped${last ? ` after ${last.date}` : ''}: ${plural(steps - reports.length, 'day')} left. ` +
        `Run the same command again to continue where it stopped (days stored whole are not fetched again).`,
    );
    return INTERRUPTED;
  }
  return failed && failed === fetched.length ? EXIT.noMatch : EXIT.ok;
}

function datesToFetch(flags: Flags, today: string): string[] {
  if (flags.date && flags.since) throw new UsageError('give --date D or --since D, not both');
  if (!flags.since) return [flags.date ? isoDate(flags.date, 'date') : today];
  const since = isoDate(flags.since, 'since');
  if (since > today) throw new UsageError(`--since ${since} is in the future`);
  return datesBetween(since, today);
}
