import { App, LogLevel, type AppOptions as BoltOptions, type HTTPReceiver, type webApi } from '@slack/bolt';
import { boltLogger } from './slack/bolt-logger.js';
import { webClientOptions } from './slack/clients.js';
import type { SlackConfig } from './slack/config.js';
import type { AppDeps } from './slack/deps.js';
import * as actions from './slack/listeners/actions/index.js';
import * as commands from './slack/listeners/commands/index.js';
import * as events from './slack/listeners/events/index.js';
import { claimEvent } from './slack/middleware/claim-event.js';
import { describeRequest, reportFailures } from './slack/middleware/report-failures.js';
import { forgetUninstalledWorkspaces, oauthOptions } from './slack/oauth.js';
import { guardRequests } from './slack/request-guard.js';

export interface AppOptions {
  /** For tests: e.g. the Web API client's retry policy. */
  clientOptions?: webApi.WebClientOptions;
  logLevel?: LogLevel;
}

/**
 * The Bolt app with every listener registered. Nothing is called on Slack until `app.init()`
 * (which checks a single workspace's token with auth.test) and `app.start()`.
 */
export function createApp(config: SlackConfig, deps: AppDeps, options: AppOptions = {}): App {
  const app = new App({
    ...modeOptions(config, deps),
    ...commonOptions(config, options),
    logger: boltLogger(deps.logger),
    extendedErrorHandler: true,
  });
  if (config.mode !== 'socket') {
    // Bolt builds its HTTP receiver itself and calls `requestListener` per request: the guard goes in front.
    const receiver = (app as unknown as { receiver: HTTPReceiver }).receiver;
    receiver.requestListener = guardRequests(receiver.requestListener, deps.logger);
  }
  app.use(reportFailures(deps.logger));
  app.use(claimEvent(deps.store));
  commands.register(app, deps);
  events.register(app, deps);
  actions.register(app, deps);
  if (config.mode === 'oauth') forgetUninstalledWorkspaces(app, deps.store, deps.logger);
  app.error(async ({ error, body }: { error: Error & { original?: unknown }; body: unknown }) => {
    deps.logger.error('listener failed', { ...describeRequest(body), error: error.original ?? error });
  });
  return app;
}

function commonOptions(config: SlackConfig, options: AppOptions): BoltOptions {
  return {
    deferInitialization: true,
    // Bolt's conversation store is not used; threads live in the Store.
    convoStore: false,
    logLevel: options.logLevel ?? LogLevel.INFO,
    clientOptions: webClientOptions(config.apiUrl, options.clientOptions),
  };
}

function modeOptions(config: SlackConfig, deps: AppDeps): BoltOptions {
  switch (config.mode) {
    case 'socket':
      return { token: config.botToken, appToken: config.appToken, socketMode: true };
    case 'http':
      return { token: config.botToken, signingSecret: config.signingSecret, port: config.port };
    case 'oauth':
      return { ...oauthOptions(config.oauth, deps.store), signingSecret: config.signingSecret, port: config.port };
  }
}
