import { z } from 'zod';
import type { Paper } from '../papers/paper.js';
import type { Answerer, Cache, Synthesis, SynthesisStream, Tldr, Turn } from './types.js';
import type { ExtractiveAnswer } from './extractive.js';
import type { Logger } from '../lib/logger.js';
import { OUT_OF_TOKENS, type LlmClient } from './llm.js';
import type { OutputBudgets } from './config.js';
import { LlmFailure } from './failure.js';
import type { Prompts } from './prompts.js';
import { NO_ANSWER, checkAnswer, type CheckedAnswer } from './citations.js';
import { extractiveAnswer } from './extractive.js';
import { extractiveFollowUp } from './extractive-follow-up.js';
import { NO_LLM, bulletText, fallbackSynthesis } from './fallback.js';
import { describeFailure } from './failure.js';
import { answerKey, normalizeQuery, type AnswerKeyParts } from './keys.js';
import { buildPrompt, fitHistory, historyBlock, type BuiltPrompt, type PromptLimits } from './messages.js';
import { BufferedSynthesisStream } from './stream.js';
import { TldrWriter } from './tldr.js';
import { delimit } from './untrusted.js';

export interface AnswererParts {
  /** Absent: every answer is extractive. */
  llm?: LlmClient;
  prompts: Prompts;
  cache: Cache;
  logger: Logger;
  limits: PromptLimits;
  /** Output tokens per kind of answer. */
  budgets: OutputBudgets;
}

/** What one kind of answer needs: its prompt, how to check the reply, what to say without the LLM. */
interface AnswerSpec {
  operation: AnswerKeyParts['operation'];
  papers: Paper[];
  maxTokens: number;
  build(): BuiltPrompt;
  key(model: string, paperIds: string[]): string;
  check(text: string, paperCount: number): CheckedAnswer | undefined;
  fallback(): ExtractiveAnswer;
}

const TOPIC_MAX_BULLETS = 6;
const FOLLOW_UP_MAX_BULLETS = 5;
const NO_PAPERS = 'No papers to summarise';

const CachedSynthesis = z.object({
  kind: z.literal('llm'),
  bullets: z.array(z.string()).min(1),
  cited: z.array(z.number().int().positive()),
  usage: z.object({ promptTokens: z.number(), completionTokens: z.number() }).optional(),
});

/**
 * The Answerer: LLM answers streamed, checked against the papers and cached; extractive (or
 * Hugging Face) answers with a notice whenever the LLM is absent or fails. `final` never rejects.
 */
export class GroundedAnswerer implements Answerer {
  private readonly tldrs: TldrWriter;

  constructor(private readonly parts: AnswererParts) {
    this.tldrs = new TldrWriter(parts.llm, parts.prompts.tldr, parts.cache, parts.logger, {
      ...parts.limits,
      maxOutputTokens: parts.budgets.tldr,
    });
  }

  synthesizeTopic(query: string, papers: Paper[], signal?: AbortSignal): SynthesisStream {
    const prompt = this.parts.prompts.topic;
    return this.answer(
      {
        operation: 'topic',
        papers,
        maxTokens: this.parts.budgets.topic,
        build: () => buildPrompt(prompt, { query: delimit('query', query) }, 'papers', papers, this.parts.limits),
        key: (model, paperIds) =>
          answerKey({ operation: 'topic', model, promptVersion: prompt.version, query: normalizeQuery(query), paperIds }),
        check: (text, paperCount) => checkAnswer(text, { paperCount, maxBullets: TOPIC_MAX_BULLETS }),
        fallback: () => extractiveAnswer(query, papers, { minBullets: 3, maxBullets: 5 }),
      },
      signal,
    );
  }

  followUp(question: string, papers: Paper[], history: Turn[], signal?: AbortSignal): SynthesisStream {
    const prompt = this.parts.prompts.followUp;
    const turns = fitHistory(history, this.parts.limits.maxPromptTokens);
    return this.answer(
      {
        operation: 'follow-up',
        papers,
        maxTokens: this.parts.budgets.followUp,
        build: () =>
          buildPrompt(
            prompt,
            { question: delimit('question', question), history: historyBlock(turns), no_answer: NO_ANSWER },
            'papers',
            papers,
            this.parts.limits,
          ),
        key: (model, paperIds) =>
          answerKey({
            operation: 'follow-up',
            model,
            promptVersion: prompt.version,
            query: normalizeQuery(question),
            paperIds,
            history: turns.map((turn) => `${turn.role}: ${turn.text}`),
          }),
        check: (text, paperCount) => checkAnswer(text, { paperCount, maxBullets: FOLLOW_UP_MAX_BULLETS, allowNoAnswer: true }),
        fallback: () => extractiveFollowUp(question, papers),
      },
      signal,
    );
  }

  deepDive(paper: Paper, signal?: AbortSignal): SynthesisStream {
    const prompt = this.parts.prompts.deepDive;
    return this.answer(
      {
        operation: 'deep-dive',
        papers: [paper],
        maxTokens: this.parts.budgets.deepDive,
        build: () => buildPrompt(prompt, {}, 'paper', [paper], { ...this.parts.limits, maxPapers: 1 }),
        key: (model, paperIds) => answerKey({ operation: 'deep-dive', model, promptVersion: prompt.version, query: '', paperIds }),
        check: (text) => checkAnswer(text, { paperCount: 1, maxBullets: TOPIC_MAX_BULLETS }),
        fallback: () => extractiveAnswer(paper.title, [paper], { minBullets: 4, maxBullets: 5 }),
      },
      signal,
    );
  }

  tldr(paper: Paper, signal?: AbortSignal): Promise<Tldr> {
    return this.tldrs.tldr(paper, signal);
  }

  private answer(spec: AnswerSpec, signal?: AbortSignal): SynthesisStream {
    return new BufferedSynthesisStream(async (emit) => {
      if (spec.papers.length === 0) return { kind: 'extractive', bullets: [], cited: [], notice: NO_PAPERS };
      let emitted = false;
      const send = (delta: string) => {
        emitted = true;
        emit(delta);
      };
      /** A fallback's text is streamed only when none of the model's text was. */
      const fallBack = (why: string) => {
        const synthesis = fallbackSynthesis(spec.fallback(), why);
        if (!emitted) send(bulletText(synthesis.bullets));
        return synthesis;
      };
      const llm = this.parts.llm;
      if (!llm) return fallBack(NO_LLM);
      try {
        return (await this.fromLlm(llm, spec, send, signal)) ?? fallBack('no grounded answer');
      } catch (error) {
        const why = describeFailure(error);
        this.parts.logger.warn('llm answer failed; falling back', { operation: spec.operation, reason: why });
        return fallBack(why);
      }
    });
  }

  /** The cached or freshly streamed and checked LLM answer; undefined when nothing in it is grounded. */
  private async fromLlm(
    llm: LlmClient,
    spec: AnswerSpec,
    send: (delta: string) => void,
    signal: AbortSignal | undefined,
  ): Promise<Synthesis | undefined> {
    const built = spec.build();
    const key = spec.key(
      llm.model,
      built.papers.map(({ paper }) => paper.id),
    );
    const cached = await this.readCached(key);
    if (cached) {
      send(bulletText(cached.bullets));
      this.parts.logger.info('llm answer', { operation: spec.operation, model: llm.model, cached: true });
      return cached;
    }
    const started = Date.now();
    // Only checked text is shown while the answer streams: each line once it is whole and checked.
    const shown = new CheckedLines((line) => spec.check(line, built.papers.length), send);
    const reply = await llm.stream(built.messages, { maxTokens: spec.maxTokens, signal }, (delta) => shown.push(delta));
    this.parts.logger.info('llm answer', {
      operation: spec.operation,
      model: llm.model,
      ...reply.usage,
      estimated: reply.usageEstimated,
      ms: Date.now() - started,
      ...(reply.finishReason ? { finish: reply.finishReason } : {}),
    });
    // Cut off at the output budget: the last line is a fragment ("…[3] and interacti"), never shown or kept.
    const cutOff = reply.finishReason === 'length';
    if (!cutOff) shown.end();
    const checked = spec.check(cutOff ? withoutLastLine(reply.text) : reply.text, built.papers.length);
    if (!checked) {
      if (cutOff) throw new LlmFailure(OUT_OF_TOKENS);
      this.parts.logger.warn('llm answer had no grounded bullet; falling back', { operation: spec.operation });
      return undefined;
    }
    const synthesis: Synthesis = { kind: 'llm', ...checked, usage: reply.usage };
    await this.parts.cache
      .set(key, JSON.stringify(synthesis))
      .catch((error: unknown) => this.parts.logger.warn('cache write failed', { key, error }));
    return synthesis;
  }

  private async readCached(key: string): Promise<Synthesis | undefined> {
    try {
      const raw = await this.parts.cache.get(key);
      if (raw === undefined) return undefined;
      const parsed = CachedSynthesis.safeParse(JSON.parse(raw));
      return parsed.success ? { ...parsed.data, cached: true } : undefined;
    } catch (error) {
      this.parts.logger.warn('cache read failed', { key, error });
      return undefined;
    }
  }
}

/** The text without a last line the budget cut off (one the model had ended is whole). */
function withoutLastLine(text: string): string {
  return /\n[ \t]*$/.test(text) ? text : text.slice(0, Math.max(0, text.lastIndexOf('\n')));
}

/**
 * Passes on the streamed answer a whole line at a time, and only the bullets the answer's check
 * keeps: a link, a fragment, an uncited or cut-off line never reaches a person, even for a moment.
 */
class CheckedLines {
  private pending = '';
  private readonly shown = new Set<string>();

  constructor(
    private readonly check: (line: string) => CheckedAnswer | undefined,
    private readonly send: (text: string) => void,
  ) {}

  push(delta: string): void {
    // Only the delta is searched for a line end: a long line arriving in many deltas stays linear.
    const end = delta.lastIndexOf('\n');
    if (end < 0) {
      this.pending += delta;
      return;
    }
    const lines = this.pending + delta.slice(0, end);
    this.pending = delta.slice(end + 1);
    for (const line of lines.split('\n')) this.show(line);
  }

  /** The last line, once the answer is known to be complete. */
  end(): void {
    this.show(this.pending);
    this.pending = '';
  }

  private show(line: string): void {
    for (const bullet of this.check(line)?.bullets ?? []) {
      if (this.shown.has(bullet)) continue;
      this.send(`${this.shown.size ? '\n' : ''}- ${bullet}`);
      this.shown.add(bullet);
    }
  }
}
