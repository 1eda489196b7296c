import { z } from 'zod';

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
}

/** Output tokens per kind of answer. */
export interface OutputBudgets {
  topic: number;
  followUp: number;
  deepDive: number;
  tldr: number;
}

export const DEFAULT_TLDR_TOKENS = 120;

/** Each kind's budget from the config (unset kinds take the answer budget; a TL;DR its own default). */
export function outputBudgets(config: Pick<LlmConfig, 'maxOutputTokens' | 'maxFollowUpTokens' | 'maxDeepDiveTokens' | 'maxTldrTokens'>): OutputBudgets {
  return {
    topic: config.maxOutputTokens,
    followUp: config.maxFollowUpTokens ?? config.maxOutputTokens,
    deepDive: config.maxDeepDiveTokens ?? config.maxOutputTokens,
    tldr: config.maxTldrTokens ?? DEFAULT_TLDR_TOKENS,
  };
}

/** A set but unusable LLM setting; the message names the variable and never echoes the key. */
export class LlmConfigError extends Error {
  override name = 'LlmConfigError';
}

const blankAsUnset = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);

const wholeNumber = (min: number, max: number) =>
  z.coerce
    .number({ error: `expected a whole number from ${min} to ${max}` })
    .int({ error: `expected a whole number from ${min} to ${max}` })
    .min(min, { error: `expected at least ${min}` })
    .max(max, { error: `expected at most ${max}` });

const integer = (min: number, max: number, fallback: number) => z.preprocess(blankAsUnset, wholeNumber(min, max).default(fallback));

const optionalInteger = (min: number, max: number) => z.preprocess(blankAsUnset, wholeNumber(min, max).optional());

const EnvSchema = z.object({
  OPENAI_API_KEY: z.preprocess(blankAsUnset, z.string().trim().optional()),
  OPENAI_BASE_URL: z.preprocess(
    blankAsUnset,
    z.url({ protocol: /^https?$/, error: 'expected an http(s) URL such as http://localhost:11434/v1' }).optional(),
  ),
  OPENAI_MODEL: z.preprocess(blankAsUnset, z.string().trim().min(1).default(DEFAULT_MODEL)),
  LLM_TIMEOUT_MS: integer(100, 600_000, 20_000),
  LLM_MAX_RETRIES: integer(0, 10, 2),
  LLM_MAX_PAPERS: integer(1, 50, DEFAULT_LIMITS.maxPapers),
  LLM_MAX_PROMPT_TOKENS: integer(500, 200_000, DEFAULT_LIMITS.maxPromptTokens),
  LLM_MAX_OUTPUT_TOKENS: integer(50, 32_000, DEFAULT_LIMITS.maxOutputTokens),
  LLM_FOLLOW_UP_MAX_OUTPUT_TOKENS: optionalInteger(50, 32_000),
  LLM_DEEP_DIVE_MAX_OUTPUT_TOKENS: optionalInteger(50, 32_000),
  LLM_TLDR_MAX_OUTPUT_TOKENS: integer(20, 32_000, DEFAULT_TLDR_TOKENS),
});

/**
 * The LLM settings from the environment, or undefined when neither a key nor a base URL is set
 * (the answer layer then stays extractive). Throws LlmConfigError on a value it cannot use.
 */
export function loadLlmConfig(env: NodeJS.ProcessEnv = process.env): LlmConfig | undefined {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new LlmConfigError(`invalid LLM configuration: ${problems.join('; ')}`);
  }
  const vars = parsed.data;
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
  };
}
