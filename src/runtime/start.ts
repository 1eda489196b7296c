import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { App } from '@slack/bolt';
import { createApp, type AppOptions } from '../app.js';
import { installedWorkspaceClients, singleWorkspaceClient, webClientOptions, type ClientFor } from '../slack/clients.js';
import { loadSlackConfig, SlackConfigError, type SlackConfig } from '../slack/config.js';
import { slackErrorCode } from '../slack/posting/slack-errors.js';

/** auth.test's answers for a token that will never work. */
const REFUSED_TOKEN = new Set(['invalid_auth', 'not_authed', 'account_inactive', 'token_revoked', 'token_expired']);
import { DEFAULT_TIMING } from '../slack/deps.js';
import { openCore, startSchedules, type Core, type RuntimeOptions } from './core.js';
import type { Services } from './services.js';
import { withEncryptedInstallations } from '../slack/token-encryption.js';

export type { RuntimeOptions } from './core.js';

export interface Runtime extends Core {
  config: SlackConfig;
  app: App;
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
  const config = loadSlackConfig(options.settings);
  const opened = await openCore(options);
  // OAuth: the installations (each workspace's bot token) are encrypted at rest.
  const core =
    config.mode === 'oauth'
      ? { ...opened, services: { ...opened.services, store: withEncryptedInstallations(opened.services.store, config.tokenKeys) } }
      : opened;
  const { services, freshness } = core;
  const app = createApp(config, { ...services, logger: options.logger, timing: DEFAULT_TIMING, freshness }, options.app);
  const port = await listen(app, config, options.host).catch(async (error: unknown) => {
    await services.store.close();
    throw error;
  });
  const schedules = startSchedules(core, digestClients(config, app, services, options.app), options);
  let stopped: Promise<void> | undefined;
  const stop = () =>
    (stopped ??= (async () => {
      schedules.stop();
      await app.stop();
      await services.store.close();
    })());
  return {
    ...core,
    config,
    app,
    ...(port === undefined ? {} : { port }),
    ...(schedules.firstRefresh ? { firstRefresh: schedules.firstRefresh } : {}),
    stop,
  };
}

/** Single workspace: the app's own client. OAuth: each team's installation, with the app's client options. */
function digestClients(config: SlackConfig, app: App, { store }: Services, appOptions: AppOptions = {}): ClientFor {
  if (config.mode !== 'oauth') return singleWorkspaceClient(app.client);
  return installedWorkspaceClients(store, webClientOptions(config.apiUrl, appOptions.clientOptions));
}

/** Checks the token (single workspace), starts the receiver and, over HTTP, resolves with its port once it accepts. */
async function listen(app: App, config: SlackConfig, host: string | undefined): Promise<number | undefined> {
  await app.init().catch((error: unknown) => {
    // A single workspace's token is checked here (auth.test): say which setting Slack refused.
    const code = slackErrorCode(error);
    if (config.mode !== 'oauth' && code && REFUSED_TOKEN.has(code))
      throw new SlackConfigError(`SLACK_BOT_TOKEN: Slack refused the token (${code})`);
    throw error;
  });
  if (config.mode === 'socket') {
    await app.start();
    return undefined;
  }
  const server = (await app.start({ port: config.port, ...(host ? { host } : {}) })) as Server;
  return (server.address() as AddressInfo).port;
}
