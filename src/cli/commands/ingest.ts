import { datesBetween, daysToFetch, ingestDays, describeSkips, totalSkips, type IngestReport } from '../../ingest/ingest.js';
import { SOURCE_NAMES, type SourceName } from '../../ingest/config.js';
import { Pacer } from '../../ingest/http.js';
import { hubIntervalMs } from '../../ingest/sources/hf-daily-papers.js';
import { createSource } from '../../ingest/sources/registry.js';
import { isoDate, UsageError, type Flags } from '../flags.js';
import { EXIT, terminalLogger, type CliIo } from '../io.js';
import type { AppStore } from '../../store/open.js';
import { utcDay } from '../../lib/days.js';
import { INGEST_ARXIV, INGEST_HF, IngestProgress, plural, type WaitBudget } from '../ingest-progress.js';

/** The first day Hugging Face has Daily Papers for. */
const FIRST_DAILY_PAPERS_DAY = '2023-05-04';
/** Exit status of a run stopped by Ctrl-C (128 + SIGINT), as shells report it. */
const INTERRUPTED = 130;
const SERVICE: Record<SourceName, string> = { hf: 'Hugging Face', arxiv: 'arXiv' };
const BUDGET: Record<SourceName, WaitBudget> = { hf: INGEST_HF, arxiv: INGEST_ARXIV };

/**
 * `paperboy ingest [--date D | --since D] [--source S]`: each configured source (PAPERBOY_SOURCES)
 * into the store, today's by default. A backfill (--since) skips the days a source already gave
 * whole, so a rerun after an interruption continues where it stopped; Ctrl-C stops after the day
 * being fetched.
 */
export async function ingest(
  flags: Flags,
  io: CliIo,
  store: () => Promise<AppStore>,
  today = utcDay(),
  stop?: AbortSignal,
  /** How the backfill's pacing waits (tests record the waits instead). */
  paceSleep?: (ms: number) => Promise<void>,
): Promise<number> {
  const dates = datesWanted(flags, today);
  const names = sourcesWanted(flags, io);
  const opened = await store();
  const interrupt = stop ? undefined : new AbortController();
  const onSigint = () => interrupt?.abort();
  if (interrupt) process.once('SIGINT', onSigint);
  let code: number = EXIT.ok;
  try {
    for (const name of names) {
      const outcome = await ingestSource(name, dates, flags, io, opened, stop ?? interrupt!.signal, paceSleep);
      if (outcome === 'stopped') return INTERRUPTED;
      if (outcome === 'failed') code = EXIT.noMatch;
    }
  } finally {
    process.off('SIGINT', onSigint);
  }
  return code;
}

async function ingestSource(
  name: SourceName,
  dates: string[],
  flags: Flags,
  io: CliIo,
  store: AppStore,
  stop: AbortSignal,
  paceSleep?: (ms: number) => Promise<void>,
): Promise<'done' | 'failed' | 'stopped'> {
  const label = SERVICE[name];
  // A backfill goes past the days done; a day asked for by name is fetched again.
  const todo = flags.since ? await daysToFetch(dates, name, store) : dates;
  if (flags.since && todo.length < dates.length)
    io.err(`${label}: ${plural(dates.length - todo.length, 'day')} already ingested, skipped.`);
  if (!todo.length) return 'done';
  const progress = new IngestProgress(todo, io, label, BUDGET[name]);
  const source = createSource(name, {
    settings: io.settings,
    logger: terminalLogger(io),
    http: BUDGET[name],
    // Many days: within the Hub's published rate limit, one request at a time.
    ...(todo.length > 2 ? { hf: { pace: new Pacer(hubIntervalMs(io.settings.HF_TOKEN), paceSleep) } } : {}),
    onPage: progress.page,
  });
  const reports = await ingestDays(todo, { store, source, onDay: progress.dayDone, stop }).finally(() => progress.stop());
  say(label, reports, todo.length, io);
  if (reports.length < todo.length) {
    io.err(`Stopped after ${reports.at(-1)?.date ?? 'no day'}: run the same command again to continue where it stopped.`);
    return 'stopped';
  }
  return reports.every((report) => report.error) ? 'failed' : 'done';
}

function say(label: string, reports: IngestReport[], days: number, io: CliIo): void {
  for (const report of reports) if (report.error) io.err(`${report.date}: ${report.error}`);
  const papers = reports.reduce((sum, report) => sum + report.papers, 0);
  const failed = reports.filter((report) => report.error).length;
  const skipped = reports.reduce((sum, report) => sum + report.skipped, 0);
  io.out(
    `${label}: stored ${plural(papers, 'paper')} from ${reports.length - failed} of ${plural(days, 'day')}` +
      (skipped ? ` (${plural(skipped, 'unusable item')} skipped: ${describeSkips(totalSkips(reports))})` : '') +
      (failed ? `; ${plural(failed, 'day')} could not be fetched, the papers already stored are kept.` : '.'),
  );
}

function datesWanted(flags: Flags, today: string): string[] {
  if (flags.date && flags.since) throw new UsageError('give --date D or --since D, not both');
  if (!flags.since) return [flags.date ? isoDate(flags.date, 'date') : today];
  const since = isoDate(flags.since, 'since');
  if (since > today) throw new UsageError(`--since ${since} is in the future`);
  return datesBetween(since < FIRST_DAILY_PAPERS_DAY && !flags.source ? FIRST_DAILY_PAPERS_DAY : since, today);
}

function sourcesWanted(flags: Flags, io: CliIo): SourceName[] {
  if (!flags.source) return io.settings.PAPERBOY_SOURCES;
  const name = flags.source.trim().toLowerCase();
  if (!(SOURCE_NAMES as readonly string[]).includes(name))
    throw new UsageError(`--source takes one of ${SOURCE_NAMES.join(', ')}, not "${flags.source}"`);
  return [name as SourceName];
}
