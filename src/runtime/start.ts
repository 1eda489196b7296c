import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { App } from '@slack/bolt';
import { loadLlmConfig, type LlmConfig } from '../answer/config.js';
import type { Logger } from '../answer/logger.js';
import { createApp, type AppOptions } from '../app.js';
import { startDigestScheduler } from '../digest/scheduler.js';
import type { HfClientOptions } from '../papers/sources/hf-daily-papers.js';
import { installedWorkspaceClients, singleWorkspaceClient, type ClientFor } from '../slack/clients.js';
import { loadSlackConfig, type SlackConfig } from '../slack/config.js';
import { DEFAULT_TIMING } from '../slack/deps.js';
import { createSlackDigestPublisher } from '../slack/digest-publisher.js';
import { describeFreshness } from './freshness.js';
import { processOwnerId } from './owner.js';
import { createRefresher, scheduleRefresh, type Refresher } from './refresh.js';
import { openServices, type Services } from './services.js';

export interface RuntimeOptions {
  env: NodeJS.ProcessEnv;
  logger: Logger;
  /** What the refresh and the digest scheduler take as now (tests move it); the wall clock by default. */
  clock?: () => Date;
  /** Over the Hugging Face client settings from HF_ENDPOINT and HF_TOKEN (tests: no waits between retries). */
  hf?: Partial<HfClientOptions>;
  /** HTTP modes: where to listen; PORT on all interfaces by default. */
  host?: string;
  app?: AppOptions;
}

export interface Runtime {
  config: SlackConfig;
  /** The LLM that writes answers; undefined when they are extractive. */
  llm?: LlmConfig;
  services: Services;
  app: App;
  refresher: Refresher;
  /** How current the papers are, one line, as App Home shows it. */
  freshness: () => string;
  /** The HTTP port Slack's requests come in on (undefined in Socket Mode). */
  port?: number;
  /** The start-up refresh, which start-up itself does not wait for (undefined when refresh is off). */
  firstRefresh?: Promise<void>;
  /** Stops the schedules, then the app, then closes the store. Safe to call more than once. */
  stop(): Promise<void>;
}

/**
 * The whole bot: the store, the index and the answerer built once; the Slack app; the hourly refresh
 * of Daily Papers (unless PAPERBOY_REFRESH=off); and the digest scheduler.
 */
export async function startPaperboy(options: RuntimeOptions): Promise<Runtime> {
  const { env, logger } = options;
  const config = loadSlackConfig(env);
  const llm = loadLlmConfig(env);
  const services = await openServices(env, llm, logger);
  const refreshOn = env.PAPERBOY_REFRESH !== 'off';
  const refresher = await createRefresher({
    ...services,
    logger,
    hf: { endpoint: env.HF_ENDPOINT || undefined, token: env.HF_TOKEN || undefined, log: (message) => logger.debug(message), ...options.hf },
    ...(options.clock ? { now: options.clock } : {}),
  });
  const freshness = () =>
    describeFreshness({
      papers: () => services.index.size,
      latestDay: refresher.latestDay,
      seedOnly: () => services.library.fromStore === 0,
      state: () => (refreshOn ? refresher.state() : { kind: 'off' }),
      ...(options.clock ? { now: options.clock } : {}),
    });
  const app = createApp(config, { ...services, logger, timing: DEFAULT_TIMING, freshness }, options.app);
  const port = await listen(app, config, options.host).catch(async (error: unknown) => {
    await services.store.close();
    throw error;
  });

  const refresh = refreshOn ? scheduleRefresh(refresher) : undefined;
  const digests = startDigestScheduler(
    {
      ...services,
      publisher: createSlackDigestPublisher({ clientFor: digestClients(config, app, services, options.app), logger }),
      owner: processOwnerId(),
      log: (message) => logger.info(message),
    },
    options.clock,
  );
  let stopped: Promise<void> | undefined;
  const stop = () =>
    (stopped ??= (async () => {
      refresh?.stop();
      digests.stop();
      await app.stop();
      await services.store.close();
    })());
  return {
    config,
    ...(llm ? { llm } : {}),
    services,
    app,
    refresher,
    freshness,
    ...(port === undefined ? {} : { port }),
    ...(refresh ? { firstRefresh: refresh.first } : {}),
    stop,
  };
}

/** Single workspace: the app's own client. OAuth: each team's installation, with the app's client options. */
function digestClients(config: SlackConfig, app: App, { store }: Services, appOptions: AppOptions = {}): ClientFor {
  if (config.mode !== 'oauth') return singleWorkspaceClient(app.client);
  return installedWorkspaceClients(store, { ...(config.apiUrl ? { slackApiUrl: config.apiUrl } : {}), ...appOptions.clientOptions });
}

/** Checks the token (single workspace), starts the receiver and, over HTTP, resolves with its port once it accepts. */
async function listen(app: App, config: SlackConfig, host: string | undefined): Promise<number | undefined> {
  await app.init();
  if (config.mode === 'socket') {
    await app.start();
    return undefined;
  }
  const server = (await app.start({ port: config.port, ...(host ? { host } : {}) })) as Server;
  return (server.address() as AddressInfo).port;
}
