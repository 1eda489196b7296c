import { stat } from 'node:fs/promises';
import { importArxivSnapshot, type SnapshotImportReport } from '../../ingest/arxiv-snapshot.js';
import { describeSkips } from '../../ingest/ingest.js';
import { SOURCE_SETTINGS } from '../../ingest/config.js';
import type { AppStore } from '../../store/open.js';
import { UsageError, type Flags } from '../flags.js';
import { ImportProgress } from '../import-progress.js';
import { plural } from '../ingest-progress.js';
import { EXIT, type CliIo } from '../io.js';

/**
 * `paperboy import arxiv-snapshot FILE [--categories cs.*]`: the arXiv metadata snapshot into the
 * store. Ctrl-C stops after the batch being stored; the same command run again continues there.
 */
export async function importFile(
  words: string[],
  flags: Flags,
  io: CliIo,
  store: () => Promise<AppStore>,
  stop?: AbortSignal,
): Promise<number> {
  const [kind, file, ...extra] = words;
  if (kind !== 'arxiv-snapshot') throw new UsageError(`import takes arxiv-snapshot FILE, not "${kind ?? ''}"`);
  if (!file || extra.length) throw new UsageError('import arxiv-snapshot takes one FILE (arxiv-metadata-oai-snapshot.json)');
  const categories = categoriesWanted(flags);
  await stat(file).catch((error: NodeJS.ErrnoException) => {
    throw new UsageError(`cannot read ${file}: ${error.code === 'ENOENT' ? 'no such file' : error.message}`);
  });
  const opened = await store();
  const interrupt = stop ? undefined : new AbortController();
  const onSigint = () => interrupt?.abort();
  if (interrupt) process.once('SIGINT', onSigint);
  const progress = new ImportProgress(io);
  let report: SnapshotImportReport;
  try {
    report = await importArxivSnapshot(file, {
      store: opened,
      ...(categories ? { categories } : {}),
      onBatch: progress.batch,
      onResume: (bytes, lines) => {
        progress.resumedAt(bytes, lines);
        io.err(`Continuing ${file} from line ${lines + 1}, where an earlier import stopped.`);
      },
      stop: stop ?? interrupt!.signal,
    });
  } finally {
    progress.stop();
    process.off('SIGINT', onSigint);
  }
  return say(report, file, io);
}

function say(report: SnapshotImportReport, file: string, io: CliIo): number {
  if (report.alreadyDone) {
    io.out(`${file} was imported whole before (${plural(report.stored, 'paper')}): nothing to do.`);
    return EXIT.ok;
  }
  for (const bad of report.badLines) io.err(bad);
  const skips = describeSkips(report.skipReasons);
  io.out(
    `arXiv snapshot: ${plural(report.stored, 'paper')} stored from ${plural(report.lines, 'line')}` +
      (report.filtered ? `, ${report.filtered} outside --categories` : '') +
      (report.skipped ? `; ${plural(report.skipped, 'bad line')} skipped${skips ? ` (${skips})` : ''}` : '') +
      '.',
  );
  if (report.stopped) {
    io.err('Stopped: run the same command again to continue where it stopped.');
    return EXIT.usage;
  }
  return report.stored ? EXIT.ok : EXIT.noMatch;
}

function categoriesWanted(flags: Flags): string[] | undefined {
  if (flags.categories === undefined) return undefined;
  if (!flags.categories.trim()) throw new UsageError('--categories takes arXiv categories such as cs.CL,cs.LG or cs.*');
  const parsed = SOURCE_SETTINGS.ARXIV_CATEGORIES.safeParse(flags.categories);
  if (!parsed.success) throw new UsageError(`--categories: ${parsed.error.issues[0]?.message ?? 'expected arXiv categories'}`);
  return parsed.data;
}
