import { z } from 'zod';
import { zodResponseFormat } from 'openai/helpers/zod';
import type { Paper } from '../papers/paper.js';
import type { Cache, Tldr } from './types.js';
import type { Logger } from '../lib/logger.js';
import { OUT_OF_TOKENS, type LlmClient } from './llm.js';
import { LlmFailure } from './failure.js';
import type { PromptLimits } from './messages.js';
import type { Prompt } from './prompts.js';
import { removeLinks } from './citations.js';
import { TLDR_MAX_WORDS, extractiveTldr } from './extractive.js';
import { describeFailure } from './failure.js';
import { buildPrompt } from './messages.js';
import { splitSentences } from '../search/sentences.js';
import { limitWords } from './limit-words.js';
import { tldrKey } from './keys.js';

const TldrReply = z.object({ tldr: z.string().describe(`One sentence of at most ${TLDR_MAX_WORDS} words`) });
const TLDR_FORMAT = zodResponseFormat(TldrReply, 'paper_tldr');
const CachedTldr = z.object({ text: z.string().min(1), kind: z.literal('llm') });

/**
 * Per-paper TL;DRs: one LLM call per paper, model and prompt version, kept in the Cache; callers
 * asking for the same paper at once share the call. Without an LLM, or when it fails, the
 * extractive TL;DR (which is not cached, so the LLM is tried again next time).
 */
export class TldrWriter {
  private readonly inFlight = new Map<string, Promise<Tldr>>();

  constructor(
    private readonly llm: LlmClient | undefined,
    private readonly prompt: Prompt,
    private readonly cache: Cache,
    private readonly logger: Logger,
    private readonly limits: PromptLimits & { maxOutputTokens: number },
  ) {}

  tldr(paper: Paper, signal?: AbortSignal): Promise<Tldr> {
    if (!this.llm) return Promise.resolve(extractiveTldr(paper));
    const key = tldrKey(this.llm.model, this.prompt.version, paper.id);
    let shared = this.inFlight.get(key);
    if (!shared) {
      shared = this.compute(this.llm, key, paper).finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, shared);
    }
    return signal ? untilAborted(shared, signal, () => extractiveTldr(paper)) : shared;
  }

  private async compute(llm: LlmClient, key: string, paper: Paper): Promise<Tldr> {
    const cached = await readCached(this.cache, key, this.logger);
    if (cached) return cached;
    try {
      const { messages } = buildPrompt(this.prompt, { max_words: TLDR_MAX_WORDS }, 'paper', [paper], {
        ...this.limits,
        maxPapers: 1,
      });
      const reply = await llm.complete(messages, { maxTokens: this.limits.maxOutputTokens }, TLDR_FORMAT);
      this.logger.info('llm tldr', {
        paper: paper.id,
        model: llm.model,
        ...reply.usage,
        estimated: reply.usageEstimated,
        ...(reply.finishReason ? { finish: reply.finishReason } : {}),
      });
      // A reply cut off at the budget is a fragment (often all thinking and no sentence): not a TL;DR.
      if (reply.finishReason === 'length') throw new LlmFailure(OUT_OF_TOKENS);
      const text = parseTldr(reply.text);
      if (!text) throw new Error('the reply held no sentence');
      const tldr: Tldr = { text, kind: 'llm' };
      await this.cache.set(key, JSON.stringify(tldr)).catch((error: unknown) => this.logger.warn('cache write failed', { key, error }));
      return tldr;
    } catch (error) {
      this.logger.warn('llm tldr failed; extractive instead', { paper: paper.id, reason: describeFailure(error) });
      return extractiveTldr(paper);
    }
  }
}

/**
 * The TL;DR sentence in a reply that should be {"tldr": "..."} but, from a server without
 * structured output, may be any JSON, a fenced block, a labelled line or bare prose.
 */
export function parseTldr(reply: string): string | undefined {
  const body = reply
    .trim()
    .replace(/^```(?:json)?\s*/i, '')
    .replace(/\s*```$/, '');
  const sentence = splitSentences(removeLinks(extractText(body)))[0];
  return sentence ? limitWords(sentence, TLDR_MAX_WORDS) : undefined;
}

function extractText(body: string): string {
  if (!body.startsWith('{') && !body.startsWith('"')) return body.replace(/^(?:tl;?dr|summary)\s*:\s*/i, '');
  try {
    const value: unknown = JSON.parse(body);
    if (typeof value === 'string') return value;
    const parsed = TldrReply.safeParse(value);
    if (parsed.success) return parsed.data.tldr;
    const firstString = Object.values(value as object).find((field) => typeof field === 'string');
    return typeof firstString === 'string' ? firstString : '';
  } catch {
    // Cut off or broken JSON: salvage the tldr field if it is there, else nothing.
    const field = /"tldr"\s*:\s*"((?:[^"\\]|\\.)*)/.exec(body);
    return field ? field[1]!.replace(/\\(.)/g, '$1') : '';
  }
}

async function readCached(cache: Cache, key: string, logger: Logger): Promise<Tldr | undefined> {
  try {
    const raw = await cache.get(key);
    if (raw === undefined) return undefined;
    const parsed = CachedTldr.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : undefined;
  } catch (error) {
    logger.warn('cache read failed', { key, error });
    return undefined;
  }
}

/** The shared promise, unless this caller's signal aborts first. */
function untilAborted<T>(shared: Promise<T>, signal: AbortSignal, instead: () => T): Promise<T> {
  if (signal.aborted) return Promise.resolve(instead());
  return new Promise<T>((resolve) => {
    const onAbort = () => resolve(instead());
    signal.addEventListener('abort', onAbort, { once: true });
    void shared.then(resolve).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
