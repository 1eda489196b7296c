#!/usr/bin/env node
import { consoleLogger, LlmConfigError } from './answer/index.js';
import { CorpusError } from './papers/corpus.js';
import { startPaperboy } from './runtime/start.js';
import { SlackConfigError } from './slack/config.js';

/** The Slack bot: starts everything, and stops cleanly on SIGINT/SIGTERM. */
async function main(): Promise<void> {
  const logger = consoleLogger({ debug: process.env.DEBUG === '1' });
  const runtime = await startPaperboy({ env: process.env, logger });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      logger.info('stopping', { signal });
      runtime.stop().catch((error: Error) => logger.warn('stopping failed', { error: error.message }));
    });
  }
  const { config, services } = runtime;
  logger.info('Paperboy is running', {
    mode: config.mode,
    ...(runtime.port === undefined ? {} : { port: runtime.port, endpoint: '/slack/events' }),
    ...(config.mode === 'oauth' ? { install: '/slack/install' } : {}),
    papers: services.index.size,
    llm: runtime.llm?.model ?? 'none (extractive answers)',
    refresh: runtime.firstRefresh ? 'hourly' : 'off',
    // Since the process started, module loading included.
    startupMs: Math.round(performance.now()),
  });
}

try {
  await main();
} catch (error) {
  if (!(error instanceof SlackConfigError || error instanceof LlmConfigError || error instanceof CorpusError)) throw error;
  process.stderr.write(`paperboy: ${error.message}\n`);
  process.exitCode = 2;
}
