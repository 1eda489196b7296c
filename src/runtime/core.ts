import { loadLlmConfig, type LlmConfig } from '../answer/config.js';
import type { Settings } from '../config.js';
import type { Logger } from '../lib/logger.js';
import type { AppOptions } from '../app.js';
import type { DigestDeps } from '../digest/deliver.js';
import { startDigestScheduler } from '../digest/scheduler.js';
import type { HfClientOptions } from '../ingest/sources/hf-daily-papers.js';
import type { ClientFor } from '../slack/clients.js';
import { createSlackDigestPublisher } from '../slack/digest-publisher.js';
import { describeFreshness } from './freshness.js';
import { processOwnerId } from './owner.js';
import { createSource } from '../ingest/sources/registry.js';
import { createRefresher, scheduleRefresh, type Refresher } from './refresh.js';
import { openServices, type Services } from './services.js';
import type { PaperFeed } from './paper-feed.js';

export interface RuntimeOptions {
  /** Parsed once at start-up (loadSettings); tests pass their own. */
  settings: Settings;
  logger: Logger;
  /** What the refresh and the digest scheduler take as now (tests move it); the wall clock by default. */
  clock?: () => Date;
  /** Over the Hugging Face client settings from HF_ENDPOINT and HF_TOKEN (tests: no waits between retries). */
  hf?: Partial<HfClientOptions>;
  /** HTTP modes: where to listen; PORT on all interfaces by default. */
  host?: string;
  app?: AppOptions;
}

/** What every mode runs on, Slack or sandbox: the services, and how fresh their papers are. */
export interface Core {
  /** The LLM that writes answers; undefined when they are extractive. */
  llm?: LlmConfig;
  services: Services;
  refresher: Refresher;
  refreshOn: boolean;
  /** Papers other processes store, taken into this process's index (unset when a corpus file is searched). */
  feed?: PaperFeed;
  /** How current the papers are, one line, as App Home shows it. */
  freshness: () => string;
}

export async function openCore(options: RuntimeOptions): Promise<Core> {
  const { settings, logger } = options;
  const llm = loadLlmConfig(settings);
  const services = await openServices(settings, llm, logger);
  const refreshOn = settings.PAPERBOY_REFRESH !== 'off';
  const refresher = await createRefresher({
    ...services,
    logger,
    hf: { endpoint: settings.HF_ENDPOINT, token: settings.HF_TOKEN, logger, ...options.hf },
    trending: settings.PAPERBOY_SOURCES.includes('hf'),
    others: settings.PAPERBOY_SOURCES.filter((name) => name !== 'hf').map((name) => createSource(name, { settings, logger })),
    ...(options.clock ? { now: options.clock } : {}),
    onStored: services.indexed,
  });
  const freshness = () => {
    const waiting = refresher.waitingFor();
    const note = waiting.length
      ? `; digests are waiting for the Daily Papers of ${waiting.join(', ')} (Hugging Face has not sent them yet)`
      : '';
    return (
      describeFreshness({
        papers: () => services.index.size,
        latestDay: refresher.latestDay,
        seedOnly: () => services.library.fromStore === 0,
        state: () => (refreshOn ? refresher.state() : { kind: 'off' }),
        ...(options.clock ? { now: options.clock } : {}),
      }) + note
    );
  };
  const { feed } = services;
  return { ...(llm ? { llm } : {}), services, refresher, refreshOn, ...(feed ? { feed } : {}), freshness };
}

export interface Schedules {
  /** What the scheduler delivers digests with: one publisher and one owner id per process. */
  digest: DigestDeps;
  /** The start-up refresh, which start-up itself does not wait for (undefined when refresh is off). */
  firstRefresh?: Promise<void>;
  stop(): void;
}

/**
 * The hourly Daily Papers refresh (unless PAPERBOY_REFRESH=off), the feed of papers other processes
 * store (every PAPERBOY_FEED_INTERVAL_MS) and the digest scheduler.
 */
export function startSchedules(core: Core, clientFor: ClientFor, options: RuntimeOptions): Schedules {
  const { logger } = options;
  if (options.settings.PAPERBOY_FEED_INTERVAL_MS > 0) core.feed?.start(options.settings.PAPERBOY_FEED_INTERVAL_MS);
  const refresh = core.refreshOn ? scheduleRefresh(core.refresher) : undefined;
  const digest: DigestDeps = {
    ...core.services,
    publisher: createSlackDigestPublisher({ clientFor, logger }),
    owner: processOwnerId(),
    logger,
    ...(options.clock ? { now: options.clock } : {}),
    // With refresh off (tests, offline) the store is all there is: no fetching.
    ...(core.refreshOn ? { fetchDays: (dates: string[]) => core.refresher.fetchClosedDays(dates) } : {}),
    lastHeard: () => core.refresher.lastHeard(),
  };
  const digests = startDigestScheduler(digest, options.clock);
  return {
    digest,
    ...(refresh ? { firstRefresh: refresh.first } : {}),
    stop: () => {
      refresh?.stop();
      core.feed?.stop();
      digests.stop();
    },
  };
}
