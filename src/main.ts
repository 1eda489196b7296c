#!/usr/bin/env node
import { loadSettings, SettingsError, type Settings } from './config.js';
import { consoleLogger, type Logger } from './lib/logger.js';
import { CorpusError } from './papers/corpus.js';
import { logUnhandledRejections } from './runtime/last-resort.js';
import { startSandboxRuntime, wantsSandbox } from './runtime/sandbox.js';
import { withOfflineNotice } from './runtime/offline-notice.js';
import { startPaperboy } from './runtime/start.js';
import { SlackConfigError } from './slack/config.js';
import { StoreOpenError } from './store/open.js';
import { INSTALL_PATH } from './slack/oauth.js';

/** The Slack bot (or, with no Slack credentials, the local sandbox); stops cleanly on SIGINT/SIGTERM. */
async function main(): Promise<void> {
  const settings = loadSettings(process.env);
  let papers: (() => number) | undefined;
  const offline = withOfflineNotice(
    consoleLogger({ debug: settings.DEBUG }),
    (line) => process.stderr.write(`${line}\n`),
    () => papers?.(),
  );
  const { logger } = offline;
  logUnhandledRejections(logger);
  if (wantsSandbox(settings)) {
    const runtime = await sandbox(settings, logger);
    papers = () => runtime.services.index.size;
    void runtime.firstRefresh?.finally(offline.started);
    return;
  }
  const runtime = await startPaperboy({ settings, logger });
  papers = () => runtime.services.index.size;
  void runtime.firstRefresh?.finally(offline.started);
  stopOnSignals(runtime, logger);
  const { config, services } = runtime;
  logger.info('Paperboy is running', {
    mode: config.mode,
    ...(runtime.port === undefined ? {} : { port: runtime.port, endpoint: '/slack/events' }),
    ...(config.mode === 'oauth' ? { install: INSTALL_PATH } : {}),
    papers: services.index.size,
    llm: runtime.llm?.model ?? 'none (extractive answers)',
    refresh: runtime.firstRefresh ? 'hourly' : 'off',
    // Since the process started, module loading included.
    startupMs: Math.round(performance.now()),
  });
}

async function sandbox(settings: Settings, logger: Logger) {
  const runtime = await startSandboxRuntime({ settings, logger });
  stopOnSignals(runtime, logger);
  logger.info('Paperboy sandbox is running (no Slack credentials set)', {
    papers: runtime.services.index.size,
    llm: runtime.llm?.model ?? 'none (extractive answers)',
    startupMs: Math.round(performance.now()),
  });
  process.stdout.write(`\nOpen ${runtime.url} and type /papers distillation\n\n`);
  return runtime;
}

const STOP_DEADLINE_MS = 4000;

function stopOnSignals(runtime: { stop(): Promise<void> }, logger: Logger): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      logger.info('stopping', { signal });
      // A graceful stop lets answers in flight finish, but never holds the port for long.
      setTimeout(() => {
        logger.warn('still stopping after 4 s: exiting now');
        process.exit(1);
      }, STOP_DEADLINE_MS).unref();
      runtime.stop().catch((error: unknown) => logger.error('stopping failed', { error }));
    });
  }
}

/** The port is taken (another Paperboy, another server): what to do, in one line. */
function portInUse(error: unknown): string | undefined {
  const { code, port } = (error ?? {}) as { code?: unknown; port?: unknown };
  if (code !== 'EADDRINUSE') return undefined;
  const taken = typeof port === 'number' ? port : 3000;
  return `port ${taken} is already in use (another Paperboy, or another server); stop it, or pick another port: PORT=${taken + 1} npm start`;
}

try {
  await main();
} catch (error) {
  const inUse = portInUse(error);
  if (inUse) {
    process.stderr.write(`paperboy: ${inUse}\n`);
    process.exit(2);
  }
  if (
    !(
      error instanceof SlackConfigError ||
      error instanceof SettingsError ||
      error instanceof CorpusError ||
      error instanceof StoreOpenError
    )
  )
    throw error;
  process.stderr.write(`paperboy: ${error.message}\n`);
  process.exitCode = 2;
}
