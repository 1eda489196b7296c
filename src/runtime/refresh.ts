import cron from 'node-cron';
import type { Logger } from '../lib/logger.js';
import { ingestDays, type IngestReport, describeSkips, totalSkips } from '../ingest/ingest.js';
import { hfDailyPapersSource, type HfClientOptions } from '../ingest/sources/hf-daily-papers.js';
import type { PaperSource } from '../ingest/source.js';
import type { PaperIndex } from '../search/types.js';
import type { PaperStore } from '../papers/paper-store.js';
import type { Paper } from '../papers/paper.js';
import type { RefreshState } from './freshness.js';
import { addDays, utcDay } from '../lib/days.js';

/** Every hour at :05; Daily Papers fill up through the day. */
const REFRESH_SCHEDULE = '5 * * * *';

export interface RefreshDeps {
  store: PaperStore;
  index: PaperIndex;
  hf: HfClientOptions;
  /** Sources besides Daily Papers (PAPERBOY_SOURCES): refreshed with it, each on its own. */
  others?: PaperSource[];
  /** False when PAPERBOY_SOURCES leaves Daily Papers out: only the others are refreshed. */
  trending?: boolean;
  logger: Logger;
  now?: () => Date;
  /** Each day's stored papers, as they arrive (semantic search embeds them). */
  onStored?: (papers: Paper[]) => void;
}

export interface Refresher {
  /** Ingests today's and yesterday's (UTC) Daily Papers into the store and the live index. Never throws. */
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

  /** Ingests the Daily Papers days; those that had ended (UTC) when they were fetched whole are final. */
  async function ingest(dates: string[], hf: HfClientOptions = deps.hf): Promise<IngestReport[]> {
    const reports = await ingestDays(dates, { ...deps, now, source: hfDailyPapersSource(hf) });
    for (const report of reports) {
      if (report.error) continue;
      missing.delete(report.date);
      lastHeard = now();
      if (report.papers && (!latestDay || report.date > latestDay)) latestDay = report.date;
    }
    return reports;
  }

  /** Yesterday and today from every other source, each on its own: one failing does not stop the rest. */
  async function ingestOthers(dates: string[]): Promise<IngestReport[]> {
    const reports: IngestReport[] = [];
    for (const source of deps.others ?? []) {
      const own = await ingestDays(dates, { ...deps, now, source });
      reports.push(...own.map((report) => ({ ...report, date: `${source.name} ${report.date}` })));
    }
    return reports;
  }

  async function refresh(): Promise<void> {
    const started = now();
    const days = [addDays(utcDay(started), -1), utcDay(started)];
    const reports = [...(deps.trending === false ? [] : await ingest(days)), ...(await ingestOthers(days))];
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
      if (deps.trending === false) return;
      const due = dates.filter((date) => date < today && !(time - (tried.get(date)?.at ?? -Infinity) < CLOSED_DAY_RETRY_MS));
      // Channels ticking at once share one fetch per day.
      const waits = dates.flatMap((date) => (tried.has(date) && !due.includes(date) ? [tried.get(date)!.done] : []));
      if (due.length) {
        // A digest waits on this: two tries, and no long Retry-After (the next tick asks again).
        const done = ingest(due, { ...deps.hf, attempts: Math.min(deps.hf.attempts ?? 2, 2), maxWaitMs: 10_000 }).then(
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
    logger.warn('paper refresh failed', { days: failed.map((r) => r.date).join(','), error: failed[0]!.error, papers });
  } else {
    logger.info('papers refreshed', { days: reports.map((r) => r.date).join(','), papers });
  }
}
