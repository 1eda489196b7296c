import { z } from 'zod';
import { integer, optional } from '../lib/settings.js';

/** The sources the bot can ingest from (src/ingest/sources/registry.ts). */
export const SOURCE_NAMES = ['hf', 'arxiv'] as const;
export type SourceName = (typeof SOURCE_NAMES)[number];

/** "cs.CL", or a whole archive "cs.*" (arXiv's taxonomy: https://arxiv.org/category_taxonomy). */
export const CATEGORY = /^[a-z-]+(\.([A-Za-z-]+|\*))?$/;

const list = (value: unknown) =>
  typeof value === 'string'
    ? value
        .split(/[\s,]+/)
        .map((part) => part.trim())
        .filter(Boolean)
    : value;

/** Ingestion's part of the settings schema (src/config.ts). */
export const SOURCE_SETTINGS = {
  PAPERBOY_SOURCES: z
    .preprocess(
      (value) => (typeof value === 'string' && !value.trim() ? undefined : list(typeof value === 'string' ? value.toLowerCase() : value)),
      z
        .array(z.enum(SOURCE_NAMES, { error: `expected source names among ${SOURCE_NAMES.join(', ')}` }))
        .min(1)
        .default(['hf'])
        .transform((names) => [...new Set(names)]),
    )
    .describe('where papers come from, comma-separated: hf (Hugging Face Daily Papers), arxiv (new submissions in ARXIV_CATEGORIES)'),
  ARXIV_CATEGORIES: z
    .preprocess(
      (value) => (typeof value === 'string' && !value.trim() ? undefined : list(value)),
      z
        .array(z.string().regex(CATEGORY, { error: 'expected arXiv categories such as cs.CL,cs.LG or cs.*' }))
        .min(1)
        .default(['cs.CL', 'cs.LG', 'cs.AI', 'cs.CV']),
    )
    .describe('the arXiv categories the arxiv source ingests (cs.* for a whole archive)'),
  ARXIV_OAI_ENDPOINT: optional(z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' })).describe(
    "arXiv's OAI-PMH endpoint (default https://oaipmh.arxiv.org/oai)",
  ),
  ARXIV_INTERVAL_MS: integer(0, 600_000, 3_000).describe('least time between two requests to arXiv (its etiquette asks for 3 s)'),
};
