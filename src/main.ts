#!/usr/bin/env node
import { consoleLogger, LlmConfigError, type Logger } from './answer/index.js';
import { CorpusError } from './papers/corpus.js';
import { logUnhandledRejections } from './runtime/last-resort.js';
import { startSandboxRuntime, wantsSandbox } from './runtime/sandbox.js';
import { startPaperboy } from './runtime/start.js';
import { SlackConfigError } from './slack/config.js';
import { StoreOpenError } from './store/open.js';
import { INSTALL_PATH } from './slack/oauth.js';

/** The Slack bot (or, with no Slack credentials, the local sandbox); stops cleanly on SIGINT/SIGTERM. */
async function main(): Promise<void> {
  const logger = consoleLogger({ debug: process.env.DEBUG === '1' });
  logUnhandledRejections(logger);
  if (wantsSandbox(process.env)) return sandbox(logger);
  const runtime = await startPaperboy({ env: process.env, logger });
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

async function sandbox(logger: Logger): Promise<void> {
  const runtime = await startSandboxRuntime({ env: process.env, logger });
  stopOnSignals(runtime, logger);
  logger.info('Paperboy sandbox is running (no Slack credentials set)', {
    papers: runtime.services.index.size,
    llm: runtime.llm?.model ?? 'none (extractive answers)',
    startupMs: Math.round(performance.now()),
  });
  process.stdout.write(`\nOpen ${runtime.url} and type /papers distillation\n\n`);
}

function stopOnSignals(runtime: { stop(): Promise<void> }, logger: Logger): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      logger.info('stopping', { signal });
      runtime.stop().catch((error: Error) => logger.warn('stopping failed', { error: error.message }));
    });
  }
}

try {
  await main();
} catch (error) {
  if (!(error instanceof SlackConfigError || error instanceof LlmConfigError || error instanceof CorpusError || error instanceof StoreOpenError)) throw error;
  process.stderr.write(`paperboy: ${error.message}\n`);
  process.exitCode = 2;
}
