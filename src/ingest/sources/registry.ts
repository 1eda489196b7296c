import { z } from 'zod';
import type { Settings } from '../../config.js';
import type { Logger } from '../../lib/logger.js';
import { requestGate } from '../http.js';
import type { PaperSource } from '../source.js';
import { HF_MIN_INTERVAL_MS, hfDailyPapersSource } from './hf-daily-papers.js';

/** Client knobs every source applies to its own requests (the source's own settings come from `settings`). */
export interface SourceOptions {
  /** Attempts per request for 429, 5xx and network errors. */
  attempts?: number;
  /** Per request. */
  timeoutMs?: number;
  /** Longest Retry-After honoured; a longer one fails the day instead of hanging. */
  maxWaitMs?: number;
  /** Spaces requests at the source's published rate limit (a long backfill); off for a few requests an hour. */
  paced?: boolean;
  /** Called after each page a source fetches (progress for a person waiting). */
  onPage?: (page: number, items: number) => void;
  /** Tests: record waits instead of sleeping. */
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Builds one source from the settings. Adding a source is one new file under src/ingest/sources/
 * and one line here: its PAPERBOY_SOURCES name and its factory.
 */
export type SourceFactory = (settings: Settings, logger: Logger, options: SourceOptions) => PaperSource;

export const SOURCES: Record<string, SourceFactory> = {
  hf: (settings, logger, { paced, ...options }) =>
    hfDailyPapersSource({
      endpoint: settings.HF_ENDPOINT,
      token: settings.HF_TOKEN,
      logger,
      ...options,
      ...(paced ? { gate: requestGate(HF_MIN_INTERVAL_MS, options.sleep) } : {}),
    }),
};

/** PAPERBOY_SOURCES: a comma list of known names, each once; `hf` when unset. */
export const SOURCES_SETTINGS = {
  PAPERBOY_SOURCES: z
    .preprocess(
      (value) => (typeof value === 'string' && value.trim() ? value : 'hf'),
      z.string().transform((value, context) => {
        const names = [...new Set(value.split(',').map((name) => name.trim().toLowerCase()))].filter(Boolean);
        const unknown = names.filter((name) => !Object.hasOwn(SOURCES, name));
        if (unknown.length || !names.length) {
          context.addIssue({
            code: 'custom',
            message: `unknown source ${unknown.map((name) => `"${name}"`).join(', ') || '(none)'}; known: ${Object.keys(SOURCES).join(', ')}`,
          });
          return z.NEVER;
        }
        return names;
      }),
    )
    .describe('where papers come from, a comma list: hf (Hugging Face Daily Papers)'),
};

/**
 * The configured sources, opened with `base` client options; `overrides` can only shorten
 * (fewer attempts, a shorter longest wait), as a digest waiting on a closed day asks.
 */
export type OpenSources = (overrides?: SourceOptions) => PaperSource[];

export function sourcesFrom(settings: Settings, logger: Logger, base: SourceOptions = {}): OpenSources {
  return (overrides = {}) => {
    const options = {
      ...base,
      ...overrides,
      ...shortest(base, overrides, 'attempts'),
      ...shortest(base, overrides, 'maxWaitMs'),
    };
    return settings.PAPERBOY_SOURCES.map((name) => SOURCES[name]!(settings, logger, options));
  };
}

function shortest(a: SourceOptions, b: SourceOptions, key: 'attempts' | 'maxWaitMs'): SourceOptions {
  const values = [a[key], b[key]].filter((value): value is number => value !== undefined);
  return values.length ? { [key]: Math.min(...values) } : {};
}
