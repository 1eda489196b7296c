import cron from 'node-cron';
import type { Logger } from '../lib/logger.js';
import { ingestDays, type IngestReport, describeSkips, totalSkips } from '../ingest/ingest.js';
import type { OpenSources } from '../ingest/sources/registry.js';
import type { PaperIndex } from '../search/types.js';
import type { PaperStore } from '../papers/paper-store.js';
import type { Paper } from '../papers/paper.js';
import type { PaperSource } from '../ingest/source.js';
import type { RefreshState } from './freshness.js';
import { addDays, utcDay } from '../lib/days.js';

/** Every hour at :05; Daily Papers fill up through the day. */
const REFRESH_SCHEDULE = '5 * * * *';

export interface RefreshDeps {
  store: PaperStore;
  index: PaperIndex;
  /** The configured sources (PAPERBOY_SOURCES), each run opens them afresh. */
  sources: OpenSources;
  logger: Logger;
  now?: () => Date;
  /** Each day's stored papers, as they arrive (semantic search embeds them). */
  onStored?: (papers: Paper[]) => void;
}

export interface Refresher {
  /** Ingests today's and yesterday's (UTC) papers from every source into the store and the live index. Never throws. */
  run(): Promise<void>;
  state(): RefreshState;
  /** The latest Daily Papers day in the store. */
  latestDay(): string | undefined;
  /**
   * Fetches closed (UTC) days for a digest that needs them, each at most once a `retryMs`, within
   * the HF client's bounded retries and timeout; days fetched whole are recorded as final. Never throws.
   */
  fetchClosedDays(dates: string[]): Promise<void>;
  /** When Hugging Face last answered a fetch. */
  lastHeard(): Date | undefined;
  /** Closed days a digest asked for that could not be fetched yet (digests wait for them). */
  waitingFor(): string[];
}

/** A closed day that could not be fetched is tried again no sooner than this (digests tick every minute). */
const CLOSED_DAY_RETRY_MS = 5 * 60_000;

/** Keeps the papers current without a restart; with no network it logs each failed run and keeps serving. */
export async function createRefresher(deps: RefreshDeps): Promise<Refresher> {
  const now = deps.now ?? (() => new Date());
  let latestDay = await deps.store.latestTrendingDate(utcDay(now()));
  let state: RefreshState = { kind: 'not-refreshed' };
  let running: Promise<void> | undefined;
  let lastHeard: Date | undefined;
  const tried = new Map<string, { at: number; done: Promise<void> }>();
  const missing = new Set<string>();

  /**
   * Ingests the days from the sources (one failing does not stop the others); ingestDays records
   * those that had ended (UTC) when fetched whole as final. What follows concerns the trending source.
   */
  async function ingest(dates: string[], sources: PaperSource[]): Promise<IngestReport[]> {
    const reports = await ingestDays(dates, { ...deps, sources, now });
    const trending = new Set(sources.filter((source) => source.trending).map((source) => source.name));
    for (const report of reports) {
      if (report.error || !trending.has(report.source)) continue;
      missing.delete(report.date);
      lastHeard = now();
      if (report.papers && (!latestDay || report.date > latestDay)) latestDay = report.date;
    }
    return reports;
  }

  async function refresh(): Promise<void> {
    const started = now();
    const reports = await ingest([addDays(utcDay(started), -1), utcDay(started)], deps.sources());
    const failed = reports.filter((report) => report.error);
    state = failed.length ? { kind: 'failed', at: started, error: failed[0]!.error! } : { kind: 'refreshed', at: started };
    logOutcome(reports, deps.logger);
  }

  return {
    // One run at a time: the start-up run and an hourly tick may meet.
    run: () =>
      (running ??= refresh()
        .catch((error: Error) => {
          state = { kind: 'failed', at: now(), error: error.message };
          deps.logger.warn('paper refresh failed', { error });
        })
        .finally(() => (running = undefined))),
    state: () => state,
    latestDay: () => latestDay,
    lastHeard: () => lastHeard,
    waitingFor: () => [...missing].sort(),
    async fetchClosedDays(dates) {
      const time = now().getTime();
      const today = utcDay(now());
      const due = dates.filter((date) => date < today && !(time - (tried.get(date)?.at ?? -Infinity) < CLOSED_DAY_RETRY_MS));
      // Channels ticking at once share one fetch per day.
      const waits = dates.flatMap((date) => (tried.has(date) && !due.includes(date) ? [tried.get(date)!.done] : []));
      if (due.length) {
        // A digest waits on this: two tries, and no long Retry-After (the next tick asks again).
        const trending = deps.sources({ attempts: 2, maxWaitMs: 10_000 }).filter((source) => source.trending);
        const done = ingest(due, trending).then(
          (reports) => {
            for (const report of reports) if (report.error) missing.add(report.date);
            logOutcome(reports, deps.logger);
          },
          (error: Error) => deps.logger.warn('closed day fetch failed', { days: due.join(','), error: error.message }),
        );
        for (const date of due) tried.set(date, { at: time, done });
        waits.push(done);
      }
      await Promise.all(waits);
    },
  };
}

/** Runs the refresher now in the background (start-up does not wait for it) and then on `schedule`. */
export function scheduleRefresh(refresher: Refresher, schedule = REFRESH_SCHEDULE): { stop: () => void; first: Promise<void> } {
  const first = refresher.run();
  const task = cron.schedule(schedule, () => refresher.run(), { name: 'paperboy-refresh', noOverlap: true });
  return { stop: () => void task.stop(), first };
}

function logOutcome(reports: IngestReport[], logger: Logger): void {
  const papers = reports.reduce((sum, report) => sum + report.papers, 0);
  const skips = totalSkips(reports);
  if (Object.keys(skips).length) logger.warn('daily papers items skipped', { reasons: describeSkips(skips) });
  const failed = reports.filter((report) => report.error);
  if (failed.length) {
    logger.warn('paper refresh failed', {
      days: distinct(failed, 'date'),
      sources: distinct(failed, 'source'),
      error: failed[0]!.error,
      papers,
    });
  } else {
    logger.info('papers refreshed', { days: distinct(reports, 'date'), sources: distinct(reports, 'source'), papers });
  }
}

function distinct(reports: IngestReport[], key: 'date' | 'source'): string {
  return [...new Set(reports.map((report) => report[key]))].join(',');
}
