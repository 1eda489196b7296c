import type { Answerer, Cache } from './types.js';
import { DEFAULT_LIMITS, outputBudgets, type LlmConfig } from './config.js';
import { GroundedAnswerer } from './answerer.js';
import { LlmClient } from './llm.js';
import { silentLogger, type Logger } from '../lib/logger.js';
import { loadPrompts } from './prompts.js';

export interface AnswererOptions {
  /** From loadLlmConfig(settings); undefined makes every answer extractive. */
  config?: LlmConfig;
  /** The Store in production (the SQLite store implements Cache). */
  cache: Cache;
  logger?: Logger;
  /** Folder of the prompt files; the repository's prompts/ by default. */
  promptsDir?: string;
}

export function createAnswerer(options: AnswererOptions): Answerer {
  const logger = options.logger ?? silentLogger;
  const { config } = options;
  return new GroundedAnswerer({
    ...(config ? { llm: new LlmClient(config, logger) } : {}),
    prompts: loadPrompts(options.promptsDir),
    cache: options.cache,
    logger,
    limits: config ? { maxPapers: config.maxPapers, maxPromptTokens: config.maxPromptTokens } : DEFAULT_LIMITS,
    budgets: outputBudgets(config ?? DEFAULT_LIMITS),
  });
}

export type { Answerer, Cache, Synthesis } from './types.js';
export type { LlmConfig } from './config.js';
export { NO_ANSWER } from './citations.js';
