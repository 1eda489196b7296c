import type { Settings } from '../../config.js';
import type { Logger } from '../../lib/logger.js';
import type { SourceName } from '../config.js';
import type { HttpOptions } from '../http.js';
import type { PaperSource } from '../source.js';
import { arxivOaiSource } from './arxiv-oai.js';
import { hfDailyPapersSource, type HfClientOptions } from './hf-daily-papers.js';

/** What every source is built with: the settings, and how this caller waits and reports. */
export interface SourceContext {
  settings: Pick<Settings, 'HF_ENDPOINT' | 'HF_TOKEN' | 'ARXIV_CATEGORIES' | 'ARXIV_OAI_ENDPOINT' | 'ARXIV_INTERVAL_MS'>;
  logger?: Logger;
  /** Retries and timeouts for this caller (a person waiting at the CLI, the hourly refresh). */
  http?: HttpOptions;
  /** Hugging Face only: e.g. the Hub's rate-limit pacing for a backfill. */
  hf?: Partial<HfClientOptions>;
  onPage?: (page: number, items: number) => void;
}

/** Each source by its PAPERBOY_SOURCES name. Adding a source is its file and one line here. */
const FACTORIES: Record<SourceName, (context: SourceContext) => PaperSource> = {
  hf: ({ settings, logger, http, hf, onPage }) =>
    hfDailyPapersSource({
      ...http,
      ...(settings.HF_ENDPOINT ? { endpoint: settings.HF_ENDPOINT } : {}),
      ...(settings.HF_TOKEN ? { token: settings.HF_TOKEN } : {}),
      ...(logger ? { logger } : {}),
      ...(onPage ? { onPage } : {}),
      ...hf,
    }),
  arxiv: ({ settings, logger, http, onPage }) =>
    arxivOaiSource({
      ...http,
      categories: settings.ARXIV_CATEGORIES,
      intervalMs: settings.ARXIV_INTERVAL_MS,
      ...(settings.ARXIV_OAI_ENDPOINT ? { endpoint: settings.ARXIV_OAI_ENDPOINT } : {}),
      ...(logger ? { logger } : {}),
      ...(onPage ? { onPage } : {}),
    }),
};

export function createSource(name: SourceName, context: SourceContext): PaperSource {
  return FACTORIES[name](context);
}
