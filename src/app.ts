import { App, LogLevel, type webApi } from '@slack/bolt';
import type { SlackConfig } from './slack/config.js';
import type { AppDeps } from './slack/deps.js';
import * as actions from './slack/listeners/actions/index.js';
import * as commands from './slack/listeners/commands/index.js';
import * as events from './slack/listeners/events/index.js';
import { claimEvent } from './slack/middleware/claim-event.js';

export interface AppOptions {
  /** For tests: e.g. the Web API client's retry policy. */
  clientOptions?: webApi.WebClientOptions;
  logLevel?: LogLevel;
}

/**
 * The Bolt app with every listener registered. Nothing is called on Slack until `app.init()`
 * (which checks the token with auth.test) and `app.start()`.
 */
export function createApp(config: SlackConfig, deps: AppDeps, options: AppOptions = {}): App {
  const common = {
    token: config.botToken,
    deferInitialization: true,
    // Bolt's conversation store is not used; threads live in the Store.
    convoStore: false as const,
    logLevel: options.logLevel ?? LogLevel.INFO,
    clientOptions: { ...(config.apiUrl ? { slackApiUrl: config.apiUrl } : {}), ...options.clientOptions },
  };
  const app =
    config.mode === 'socket'
      ? new App({ ...common, appToken: config.appToken, socketMode: true })
      : new App({ ...common, signingSecret: config.signingSecret, port: config.port });

  app.use(claimEvent(deps.store));
  commands.register(app, deps);
  events.register(app, deps);
  actions.register(app, deps);
  app.error(async (error) => {
    deps.logger.warn('listener failed', { error: String(error), code: (error as { code?: string }).code });
  });
  return app;
}
