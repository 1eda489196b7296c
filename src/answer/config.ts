import { z } from 'zod';
import { blankAsUnset, integer, optional, optionalInteger, type SettingsOf } from '../lib/settings.js';

export const DEFAULT_MODEL = 'gpt-4.1-mini';

/** The prompt and output limits unless LLM_MAX_PAPERS, LLM_MAX_PROMPT_TOKENS, LLM_MAX_OUTPUT_TOKENS say otherwise. */
export const DEFAULT_LIMITS = { maxPapers: 8, maxPromptTokens: 6_000, maxOutputTokens: 700 } as const;

export interface LlmConfig {
  /** Absent for local servers (Ollama, vLLM, llama.cpp, LM Studio) that take no key. */
  apiKey?: string;
  /** Absent for OpenAI itself. */
  baseURL?: string;
  model: string;
  /** The whole answer's deadline, retries included. */
  timeoutMs: number;
  /** Retries on 408/409/429/5xx and connection errors; the SDK backs off and honours Retry-After. */
  maxRetries: number;
  /** At most this many papers go into one prompt. */
  maxPapers: number;
  /** Prompt budget per request, estimated as characters / 4. */
  maxPromptTokens: number;
  /** Output budget of a topic answer, and of the other kinds unless their own is set. */
  maxOutputTokens: number;
  /** Per-kind output budgets: a reasoning model spends tokens thinking before it answers. */
  maxFollowUpTokens?: number;
  maxDeepDiveTokens?: number;
  /** A TL;DR's budget; 120 unless LLM_TLDR_MAX_OUTPUT_TOKENS says otherwise. */
  maxTldrTokens?: number;
  /** Set when PAPERBOY_RERANK=on: the LLM orders a topic search's top candidates (src/answer/rerank.ts). */
  rerank?: { timeoutMs: number };
}

/** How long a rerank may take before the search's own order is used: the person waits for it. */
export const DEFAULT_RERANK_TIMEOUT_MS = 5_000;

/** Output tokens per kind of answer. */
export interface OutputBudgets {
  topic: number;
  followUp: number;
  deepDive: number;
  tldr: number;
}

export const DEFAULT_TLDR_TOKENS = 120;

/** Each kind's budget from the config (unset kinds take the answer budget; a TL;DR its own default). */
export function outputBudgets(
  config: Pick<LlmConfig, 'maxOutputTokens' | 'maxFollowUpTokens' | 'maxDeepDiveTokens' | 'maxTldrTokens'>,
): OutputBudgets {
  return {
    topic: config.maxOutputTokens,
    followUp: config.maxFollowUpTokens ?? config.maxOutputTokens,
    deepDive: config.maxDeepDiveTokens ?? config.maxOutputTokens,
    tldr: config.maxTldrTokens ?? DEFAULT_TLDR_TOKENS,
  };
}

/** The LLM's part of the settings schema (src/config.ts): each variable, checked and documented. */
export const LLM_SETTINGS = {
  OPENAI_API_KEY: optional(z.string().trim()).describe('the key of an OpenAI-compatible Chat Completions server'),
  OPENAI_BASE_URL: optional(z.url({ protocol: /^https?$/, error: 'expected an http(s) URL such as http://localhost:11434/v1' })).describe(
    'another OpenAI-compatible server (Ollama, vLLM, llama.cpp, LM Studio)',
  ),
  OPENAI_MODEL: z.preprocess(blankAsUnset, z.string().trim().min(1).default(DEFAULT_MODEL)).describe('the model'),
  LLM_TIMEOUT_MS: integer(100, 600_000, 20_000).describe("an answer's deadline, retries included"),
  LLM_MAX_RETRIES: integer(0, 10, 2).describe('retries on 408/409/429/5xx and connection errors'),
  LLM_MAX_PAPERS: integer(1, 50, DEFAULT_LIMITS.maxPapers).describe('papers in one prompt'),
  LLM_MAX_PROMPT_TOKENS: integer(500, 200_000, DEFAULT_LIMITS.maxPromptTokens).describe('prompt budget per request'),
  LLM_MAX_OUTPUT_TOKENS: integer(50, 32_000, DEFAULT_LIMITS.maxOutputTokens).describe(
    'output budget of a topic answer, and of the other kinds unless set',
  ),
  LLM_FOLLOW_UP_MAX_OUTPUT_TOKENS: optionalInteger(50, 32_000).describe("a thread follow-up's output budget (reasoning models need more)"),
  LLM_DEEP_DIVE_MAX_OUTPUT_TOKENS: optionalInteger(50, 32_000).describe("Summarize's output budget"),
  LLM_TLDR_MAX_OUTPUT_TOKENS: integer(20, 32_000, DEFAULT_TLDR_TOKENS).describe("a TL;DR's output budget"),
  PAPERBOY_RERANK: z
    .preprocess(
      (value) => (typeof value === 'string' ? value.trim().toLowerCase() || undefined : value),
      z.enum(['on', 'off'], { error: 'expected on or off' }).default('off'),
    )
    .describe("on: the LLM orders a topic search's top 30 by relevance to the question (needs an LLM)"),
  LLM_RERANK_TIMEOUT_MS: integer(100, 60_000, DEFAULT_RERANK_TIMEOUT_MS).describe("a rerank's deadline; past it the search's order stands"),
};

type LlmSettings = SettingsOf<typeof LLM_SETTINGS>;

/**
 * The LLM, from the parsed settings, or undefined when neither a key nor a base URL is set
 * (the answer layer then stays extractive).
 */
export function loadLlmConfig(vars: LlmSettings): LlmConfig | undefined {
  if (!vars.OPENAI_API_KEY && !vars.OPENAI_BASE_URL) return undefined;
  return {
    ...(vars.OPENAI_API_KEY ? { apiKey: vars.OPENAI_API_KEY } : {}),
    ...(vars.OPENAI_BASE_URL ? { baseURL: vars.OPENAI_BASE_URL } : {}),
    model: vars.OPENAI_MODEL,
    timeoutMs: vars.LLM_TIMEOUT_MS,
    maxRetries: vars.LLM_MAX_RETRIES,
    maxPapers: vars.LLM_MAX_PAPERS,
    maxPromptTokens: vars.LLM_MAX_PROMPT_TOKENS,
    maxOutputTokens: vars.LLM_MAX_OUTPUT_TOKENS,
    ...(vars.LLM_FOLLOW_UP_MAX_OUTPUT_TOKENS !== undefined ? { maxFollowUpTokens: vars.LLM_FOLLOW_UP_MAX_OUTPUT_TOKENS } : {}),
    ...(vars.LLM_DEEP_DIVE_MAX_OUTPUT_TOKENS !== undefined ? { maxDeepDiveTokens: vars.LLM_DEEP_DIVE_MAX_OUTPUT_TOKENS } : {}),
    ...(vars.LLM_TLDR_MAX_OUTPUT_TOKENS !== DEFAULT_TLDR_TOKENS ? { maxTldrTokens: vars.LLM_TLDR_MAX_OUTPUT_TOKENS } : {}),
    ...(vars.PAPERBOY_RERANK === 'on' ? { rerank: { timeoutMs: vars.LLM_RERANK_TIMEOUT_MS } } : {}),
  };
}
