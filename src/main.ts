#!/usr/bin/env node
import { createAnswerer, consoleLogger, LlmConfigError, loadLlmConfig } from './answer/index.js';
import { createApp } from './app.js';
import { CorpusError, loadCorpus, resolveCorpusPath } from './papers/corpus.js';
import { buildIndex } from './search/index.js';
import { loadSlackConfig, SlackConfigError } from './slack/config.js';
import { DEFAULT_TIMING } from './slack/deps.js';
import { openStore } from './store/open.js';

/** The Slack bot: loads everything, starts, and stops cleanly on SIGINT/SIGTERM. */
async function main(): Promise<void> {
  const logger = consoleLogger({ debug: process.env.DEBUG === '1' });
  const slack = loadSlackConfig(process.env);
  const llm = loadLlmConfig(process.env);
  const corpus = loadCorpus(resolveCorpusPath());
  if (corpus.issues.length) logger.warn('corpus records skipped', { file: corpus.file, skipped: corpus.issues.length });
  const index = buildIndex(corpus.papers);
  const store = await openStore(process.env);
  const answerer = createAnswerer({ ...(llm ? { config: llm } : {}), cache: store, logger });
  const app = createApp(slack, { index, answerer, store, logger, timing: DEFAULT_TIMING });

  let stopping: Promise<void> | undefined;
  const stop = (signal: string) =>
    (stopping ??= (async () => {
      logger.info('stopping', { signal });
      await app.stop();
      await store.close();
    })());
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void stop(signal));

  await app.init();
  await (slack.mode === 'socket' ? app.start() : app.start(slack.port));
  logger.info('Paperboy is running', {
    mode: slack.mode,
    ...(slack.mode === 'http' ? { port: slack.port, endpoint: '/slack/events' } : {}),
    papers: index.size,
    llm: llm ? llm.model : 'none (extractive answers)',
  });
}

try {
  await main();
} catch (error) {
  if (!(error instanceof SlackConfigError || error instanceof LlmConfigError || error instanceof CorpusError)) throw error;
  process.stderr.write(`paperboy: ${error.message}\n`);
  process.exitCode = 2;
}
