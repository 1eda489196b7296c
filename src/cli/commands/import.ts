import { access, constants } from 'node:fs/promises';
import { CATEGORY } from '../../ingest/config.js';
import { importArxivSnapshot, type ImportProgress, type ImportReport } from '../../ingest/arxiv-snapshot.js';
import { describeSkips } from '../../ingest/ingest.js';
import type { AppStore } from '../../store/open.js';
import { UsageError, type Flags } from '../flags.js';
import { EXIT, type CliIo } from '../io.js';
import { plural } from '../ingest-progress.js';

/** A log gets a progress line this often; a terminal's status line moves with every batch. */
const LOG_EVERY_MS = 10_000;

/**
 * `paperboy import arxiv-snapshot FILE [--categories cs.CL,cs.*]`: the public arXiv metadata
 * snapshot into the store, resumable (rerun to go on) and idempotent; Ctrl-C stops after a batch.
 */
export async function importCommand(
  words: string[],
  flags: Flags,
  io: CliIo,
  store: () => Promise<AppStore>,
  stop?: AbortSignal,
): Promise<number> {
  const [kind, file, ...rest] = words;
  if (kind !== 'arxiv-snapshot' || !file || rest.length)
    throw new UsageError('usage: paperboy import arxiv-snapshot FILE [--categories cs.CL,cs.LG|cs.*]');
  const categories = parseCategories(flags.categories);
  await access(file, constants.R_OK).catch((error: NodeJS.ErrnoException) => {
    throw new UsageError(`cannot read ${file}: ${error.code === 'ENOENT' ? 'no such file' : error.message}`);
  });
  const opened = await store();
  const interrupt = stop ? undefined : new AbortController();
  const onSigint = () => interrupt?.abort();
  if (interrupt) process.once('SIGINT', onSigint);
  const progress = progressLine(io);
  let report: ImportReport;
  try {
    report = await importArxivSnapshot(file, {
      store: opened,
      ...(categories ? { categories } : {}),
      onProgress: progress,
      stop: stop ?? interrupt!.signal,
    });
  } catch (error) {
    if ((error as Error).name === 'LinesFileError') throw new UsageError((error as Error).message);
    throw error;
  } finally {
    process.off('SIGINT', onSigint);
    io.status?.('');
  }
  return say(report, file, io);
}

function say(report: ImportReport, file: string, io: CliIo): number {
  if (report.alreadyDone) {
    io.out(`${file} was imported whole before (${plural(report.stored, 'paper')}); nothing to do.`);
    return EXIT.ok;
  }
  for (const problem of report.problems) io.err(problem);
  const skipped = report.skipped ? ` (${plural(report.skipped, 'bad line')} skipped: ${describeSkips(report.skipReasons)})` : '';
  const outside = report.outside ? `; ${plural(report.outside, 'paper')} outside the categories left out` : '';
  const resumed = report.resumedAt ? ` (resumed at byte ${report.resumedAt.toLocaleString('en-US')})` : '';
  io.out(`Stored ${plural(report.stored, 'paper')} through line ${report.line.toLocaleString('en-US')}${resumed}${skipped}${outside}.`);
  if (!report.done) {
    io.err('Stopped: run the same command again to continue where it stopped.');
    return EXIT.usage;
  }
  return EXIT.ok;
}

function parseCategories(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const categories = value.split(/[\s,]+/).filter(Boolean);
  const bad = categories.find((category) => !CATEGORY.test(category));
  if (bad || !categories.length)
    throw new UsageError(`--categories takes arXiv categories such as cs.CL,cs.LG or cs.*, not "${bad ?? value}"`);
  return categories;
}

/** Bytes read of the file, papers stored, records a second and time left. */
function progressLine(io: CliIo): (progress: ImportProgress) => void {
  const started = Date.now();
  let firstBytes: number | undefined;
  let firstLine = 0;
  let lastLog = 0;
  return (progress) => {
    if (firstBytes === undefined) {
      firstBytes = progress.bytes;
      firstLine = progress.line;
    }
    const elapsed = (Date.now() - started) / 1000;
    const share = progress.size ? progress.bytes / progress.size : 1;
    const rate = elapsed > 0 ? (progress.bytes - firstBytes) / elapsed : 0;
    const left = rate > 0 ? (progress.size - progress.bytes) / rate : undefined;
    const line =
      `${(share * 100).toFixed(1)}% of ${(progress.size / 2 ** 20).toFixed(0)} MB · ${plural(progress.stored, 'paper')} stored` +
      (elapsed > 0 ? ` · ${Math.round((progress.line - firstLine) / Math.max(elapsed, 0.001)).toLocaleString('en-US')} lines/s` : '') +
      (left !== undefined ? ` · about ${left < 90 ? `${Math.ceil(left)} s` : `${Math.round(left / 60)} min`} left` : '');
    if (io.status) {
      const width = 20;
      const filled = Math.round(share * width);
      io.status(`[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${line}`);
    } else if (Date.now() - lastLog >= LOG_EVERY_MS) {
      lastLog = Date.now();
      io.err(line);
    }
  };
}
