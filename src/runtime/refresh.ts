import cron from 'node-cron';
import type { Logger } from '../lib/logger.js';
import { ingestDays, type IngestReport, describeSkips, totalSkips } from '../papers/ingest.js';
import type { HfClientOptions } from '../papers/sources/hf-daily-papers.js';
import type { PaperIndex } from '../search/types.js';
import type { PaperStore } from '../papers/paper-store.js';
import type { RefreshState } from './freshness.js';
import { addDays, utcDay } from '../lib/days.js';

/** Every hour at :05; Daily Papers fill up through the day. */
const REFRESH_SCHEDULE = '5 * * * *';

export interface RefreshDeps {
  store: PaperStore;
  index: PaperIndex;
  hf: HfClientOptions;
  logger: Logger;
  now?: () => Date;
}

export interface Refresher {
  /** Ingests today's and yesterday's (UTC) Daily Papers into the store and the live index. Never throws. */
  run(): Promise<void>;
  state(): RefreshState;
  /** The latest Daily Papers day in the store. */
  latestDay(): string | undefined;
}

/** Keeps the papers current without a restart; with no network it logs each failed run and keeps serving. */
export async function createRefresher(deps: RefreshDeps): Promise<Refresher> {
  const now = deps.now ?? (() => new Date());
  let latestDay = await deps.store.latestTrendingDate(utcDay(now()));
  let state: RefreshState = { kind: 'not-refreshed' };
  let running: Promise<void> | undefined;

  async function refresh(): Promise<void> {
    const started = now();
    const reports = await ingestDays([addDays(utcDay(started), -1), utcDay(started)], deps);
    for (const report of reports) if (report.papers && (!latestDay || report.date > latestDay)) latestDay = report.date;
    const failed = reports.filter((report) => report.error);
    state = failed.length ? { kind: 'failed', at: started, error: failed[0]!.error! } : { kind: 'refreshed', at: started };
    logOutcome(reports, deps.logger);
  }

  return {
    // One run at a time: the start-up run and an hourly tick may meet.
    run: () => (running ??= refresh().catch((error: Error) => {
      state = { kind: 'failed', at: now(), error: error.message };
      deps.logger.warn('paper refresh failed', { error });
    }).finally(() => (running = undefined))),
    state: () => state,
    latestDay: () => latestDay,
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

