import { z } from 'zod';
import { LLM_SETTINGS } from './answer/config.js';
import { blankAsUnset, optional } from './lib/settings.js';
import { SOURCE_SETTINGS } from './ingest/config.js';
import { EMBEDDINGS_SETTINGS } from './search/embeddings-config.js';
import { SLACK_SETTINGS } from './slack/config.js';

/**
 * Every environment variable Paperboy reads, in one schema: parsed once at start-up (loadSettings)
 * and passed down. Each area declares its own part (the LLM's, Slack's) next to the code that uses
 * it; the README's configuration table is checked against these names (test/config.test.ts).
 */
const SettingsSchema = z.object({
  ...SLACK_SETTINGS,
  PORT: z
    .preprocess(
      blankAsUnset,
      z.coerce
        .number({ error: 'expected a port number' })
        .int({ error: 'expected a port number' })
        .min(0, { error: 'expected a port number' })
        .max(65_535, { error: 'expected a port number from 0 to 65535' })
        .default(3000),
    )
    .describe("HTTP port (Slack's requests, or the sandbox page)"),
  ...LLM_SETTINGS,
  ...EMBEDDINGS_SETTINGS,
  DATABASE_URL: optional(z.url({ protocol: /^postgres(ql)?$/, error: 'expected a postgres:// URL' })).describe(
    'Postgres instead of the embedded SQLite',
  ),
  PAPERBOY_DB_SCHEMA: optional(z.string().trim()).describe("Postgres only: the schema that holds Paperboy's tables"),
  PAPERBOY_DB: optional(z.string().trim()).describe('the SQLite file'),
  PAPERBOY_INDEX_FILE: optional(z.string().trim()).describe(
    'where the search index is saved between starts (off: never); next to the SQLite file by default, unset on Postgres',
  ),
  PAPERBOY_FEED_INTERVAL_MS: z
    .preprocess(
      blankAsUnset,
      z.coerce
        .number({ error: 'expected a whole number of milliseconds from 0 to 3600000' })
        .int({ error: 'expected a whole number of milliseconds from 0 to 3600000' })
        .min(0, { error: 'expected at least 0' })
        .max(3_600_000, { error: 'expected at most 3600000' })
        .default(30_000),
    )
    .describe('how often the search index takes in papers other processes stored or removed (0: only at start-up)'),
  PAPERBOY_CORPUS: optional(z.string().trim()).describe('a corpus file to search instead of the embedded one'),
  HF_ENDPOINT: optional(z.url({ protocol: /^https?$/, error: 'expected an http(s) URL such as https://huggingface.co' })).describe(
    'the Hugging Face Hub to ingest Daily Papers from',
  ),
  HF_TOKEN: optional(z.string().trim()).describe('a Hugging Face token (higher rate limits)'),
  ...SOURCE_SETTINGS,
  PAPERBOY_REFRESH: z
    .preprocess(
      (value) => (typeof value === 'string' ? value.trim().toLowerCase() || undefined : value),
      z.enum(['on', 'off'], { error: 'expected on or off' }).default('on'),
    )
    .describe('off stops the hourly Daily Papers refresh'),
  // Unset: the digest's own default (DEFAULT_LEASE_MS in src/digest/deliver.ts).
  PAPERBOY_DIGEST_LEASE_MS: optional(
    z.coerce
      .number({ error: 'expected a whole number from 100 to 3600000' })
      .int({ error: 'expected a whole number from 100 to 3600000' })
      .min(100, { error: 'expected at least 100' })
      .max(3_600_000, { error: 'expected at most 3600000' }),
  ).describe('`paperboy digest --post`: how long a process holds a digest it is posting before another may take it over'),
  DEBUG: z
    .preprocess(
      (value) => (typeof value === 'string' ? value.trim() === '1' || value.trim().toLowerCase() === 'true' : value),
      z.boolean().default(false),
    )
    .describe('1 for debug logs'),
});

export type Settings = z.infer<typeof SettingsSchema>;

/** The names of every variable the settings read, in schema order. */
export const SETTING_NAMES = Object.keys(SettingsSchema.shape) as Array<keyof Settings>;

/** A set but unusable value: one line naming each variable at fault, never echoing its value. */
export class SettingsError extends Error {
  override name = 'SettingsError';
}

/** Parses the environment (process.env by default; tests pass their own) into the settings. */
export function loadSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  const parsed = SettingsSchema.safeParse(env);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  throw new SettingsError(`invalid setting ${problems.join('; ')}`);
}
