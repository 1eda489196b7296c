import type { LlmConfig } from '../../src/answer/index.js';

/** The benchmarks' LLM: the loopback stand-in at `baseURL`, no retries, the default prompt limits. */
export function benchLlmConfig(baseURL: string, maxOutputTokens: number): LlmConfig {
  return {
    baseURL,
    apiKey: 'bench',
    model: 'bench',
    timeoutMs: 60_000,
    maxRetries: 0,
    maxPapers: 8,
    maxPromptTokens: 6_000,
    maxOutputTokens,
  };
}
