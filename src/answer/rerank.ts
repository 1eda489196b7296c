import { z } from 'zod';
import { zodResponseFormat } from 'openai/helpers/zod';
import type { Paper } from '../papers/paper.js';
import type { LlmConfig } from './config.js';
import type { Logger } from '../lib/logger.js';
import { LlmClient, OUT_OF_TOKENS } from './llm.js';
import { LlmFailure, describeFailure } from './failure.js';
import { buildPrompt } from './messages.js';
import { loadPrompts, type Prompt } from './prompts.js';
import { delimit } from './untrusted.js';

/** How many of the search's best hits the LLM orders (RankGPT's listwise rerank, in one window). */
export const RERANK_DEPTH = 30;

const RankingReply = z.object({
  ranking: z.array(z.number().int()).describe('the numbers of the papers, most relevant first'),
});
const RANKING_FORMAT = zodResponseFormat(RankingReply, 'paper_ranking');

/** Orders a topic search's candidates by relevance to the question; never fails (the given order is kept instead). */
export interface Reranker {
  rerank<T extends { paper: Paper }>(query: string, candidates: readonly T[]): Promise<T[]>;
}

/**
 * The reranker PAPERBOY_RERANK=on asks for, or undefined when it is off or no LLM is configured. It
 * has its own client so its deadline (LLM_RERANK_TIMEOUT_MS) is its own: the person waits for it
 * before the answer starts.
 */
export function createReranker(config: LlmConfig | undefined, logger: Logger, promptsDir?: string): Reranker | undefined {
  if (!config?.rerank) return undefined;
  const llm = new LlmClient({ ...config, timeoutMs: config.rerank.timeoutMs }, logger);
  return new LlmReranker(llm, loadPrompts(promptsDir).rerank, logger, config);
}

/**
 * Listwise reranking: the candidates go into one prompt, numbered [1..n] with their titles and
 * (budget-trimmed) abstracts, and the model answers {"ranking": [n, ...]}. The reply is untrusted:
 * numbers that name no candidate are dropped, repeats ignored, and candidates it left out follow in
 * their search order. A timeout, an error or a reply with no usable number keeps the search order,
 * with a warning in the log; the person is never told, as the answer itself is unharmed.
 */
class LlmReranker implements Reranker {
  constructor(
    private readonly llm: LlmClient,
    private readonly prompt: Prompt,
    private readonly logger: Logger,
    private readonly limits: { maxPromptTokens: number; maxOutputTokens: number },
  ) {}

  async rerank<T extends { paper: Paper }>(query: string, candidates: readonly T[]): Promise<T[]> {
    if (candidates.length < 2) return [...candidates];
    const started = performance.now();
    try {
      const { messages, papers } = buildPrompt(
        this.prompt,
        { query: delimit('query', query) },
        'papers',
        candidates.slice(0, RERANK_DEPTH).map((candidate) => candidate.paper),
        { maxPapers: RERANK_DEPTH, maxPromptTokens: this.limits.maxPromptTokens },
      );
      const reply = await this.llm.complete(messages, { maxTokens: this.limits.maxOutputTokens }, RANKING_FORMAT);
      const ids = parseRanking(reply.text);
      if (!ids) throw new LlmFailure(reply.finishReason === 'length' ? OUT_OF_TOKENS : 'malformed reply (no ranking)');
      const result = applyRanking(candidates, ids, papers.length);
      if (result.ranked === 0) throw new LlmFailure('malformed reply (no known paper numbers)');
      this.logger.info('llm rerank', {
        model: this.llm.model,
        candidates: papers.length,
        ranked: result.ranked,
        unknown: result.unknown,
        duplicates: result.duplicates,
        ms: Math.round(performance.now() - started),
        ...reply.usage,
        estimated: reply.usageEstimated,
      });
      return result.ordered;
    } catch (error) {
      this.logger.warn('llm rerank failed; search order kept', {
        model: this.llm.model,
        reason: describeFailure(error),
        ms: Math.round(performance.now() - started),
      });
      return [...candidates];
    }
  }
}

/**
 * The ranking in a reply that should be {"ranking": [...]} but, from a server without structured
 * output, may be a bare array or a fenced block. Undefined when it holds no list.
 */
function parseRanking(reply: string): unknown[] | undefined {
  const body = reply
    .trim()
    .replace(/^```(?:json)?\s*/i, '')
    .replace(/\s*```$/, '');
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (Array.isArray(value)) return value;
  const ranking = typeof value === 'object' && value !== null ? (value as { ranking?: unknown }).ranking : undefined;
  return Array.isArray(ranking) ? ranking : undefined;
}

/**
 * The candidates in the model's order: the first `sent` candidates (those in the prompt) are
 * numbered 1..sent; the rest, and any the model left out, follow in their search order.
 */
function applyRanking<T>(candidates: readonly T[], ids: readonly unknown[], sent: number) {
  const chosen = new Set<number>();
  let unknown = 0;
  let duplicates = 0;
  for (const id of ids) {
    const n = paperNumber(id);
    if (n === undefined || n < 1 || n > sent) unknown++;
    else if (chosen.has(n)) duplicates++;
    else chosen.add(n);
  }
  const ordered = [...[...chosen].map((n) => candidates[n - 1]!), ...candidates.filter((_, i) => !chosen.has(i + 1))];
  return { ordered, ranked: chosen.size, unknown, duplicates };
}

/** A paper's number as the model wrote it: 3, or "3" / "[3]" from a model that ignored the schema. */
function paperNumber(id: unknown): number | undefined {
  const n = typeof id === 'number' ? id : typeof id === 'string' ? Number(/^\s*\[?\s*(\d+)\s*\]?\s*$/.exec(id)?.[1]) : Number.NaN;
  return Number.isInteger(n) ? n : undefined;
}
