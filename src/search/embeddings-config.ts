import { z } from 'zod';
import { integer, optional, type SettingsOf } from '../lib/settings.js';

/** The query embedding's deadline unless OPENAI_EMBEDDINGS_TIMEOUT_MS says otherwise: past it, the search is lexical. */
export const DEFAULT_QUERY_TIMEOUT_MS = 1_500;

/** Semantic retrieval's part of the settings schema (src/config.ts). Unset model: lexical search only. */
export const EMBEDDINGS_SETTINGS = {
  OPENAI_EMBEDDINGS_MODEL: optional(z.string().trim().min(1)).describe(
    'an embeddings model (OpenAI-compatible /embeddings): turns on semantic retrieval fused with the lexical search',
  ),
  OPENAI_EMBEDDINGS_BASE_URL: optional(
    z.url({ protocol: /^https?$/, error: 'expected an http(s) URL such as http://localhost:11434/v1' }),
  ).describe("the embeddings server, when it is not the chat LLM's (OPENAI_BASE_URL)"),
  OPENAI_EMBEDDINGS_TIMEOUT_MS: integer(50, 60_000, DEFAULT_QUERY_TIMEOUT_MS).describe(
    "a query embedding's deadline; past it (or on any failure) the search is lexical only",
  ),
};

export interface EmbeddingsConfig {
  model: string;
  /** Absent for OpenAI itself. */
  baseURL?: string;
  apiKey?: string;
  queryTimeoutMs: number;
}

type EmbeddingsSettings = SettingsOf<typeof EMBEDDINGS_SETTINGS> & {
  OPENAI_API_KEY?: string | undefined;
  OPENAI_BASE_URL?: string | undefined;
};

/** The embeddings server, or undefined (no model set): then nothing about search changes. */
export function loadEmbeddingsConfig(vars: EmbeddingsSettings): EmbeddingsConfig | undefined {
  if (!vars.OPENAI_EMBEDDINGS_MODEL) return undefined;
  const baseURL = vars.OPENAI_EMBEDDINGS_BASE_URL ?? vars.OPENAI_BASE_URL;
  return {
    model: vars.OPENAI_EMBEDDINGS_MODEL,
    ...(baseURL ? { baseURL } : {}),
    ...(vars.OPENAI_API_KEY ? { apiKey: vars.OPENAI_API_KEY } : {}),
    queryTimeoutMs: vars.OPENAI_EMBEDDINGS_TIMEOUT_MS,
  };
}
