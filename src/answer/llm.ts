import OpenAI from 'openai';
import type { ChatCompletionCreateParamsBase } from 'openai/resources/chat/completions';
import type { LlmConfig } from './config.js';
import type { Logger } from '../lib/logger.js';
import type { ChatMessage } from './prompts.js';
import type { TokenUsage } from './types.js';
import { estimateTokens } from './budget.js';
import { LlmFailure, describeFailure } from './failure.js';
import { ThinkFilter, stripThinking } from './think.js';

export interface Completion {
  text: string;
  usage: TokenUsage;
  /** True when the server did not report usage and it was estimated from characters. */
  usageEstimated: boolean;
  /** The server's finish_reason: "length" means the text was cut off at the output budget. */
  finishReason?: string;
}

/** What the answer layer tells a person when the model's budget ran out before its answer did. */
export const OUT_OF_TOKENS = 'the model ran out of output tokens';

/** The two names servers give the output budget: most take max_tokens; o-series/gpt-5 only the other. */
type TokenParameter = 'max_tokens' | 'max_completion_tokens';

export interface CallOptions {
  maxTokens: number;
  signal?: AbortSignal;
}

export type ResponseFormat = NonNullable<ChatCompletionCreateParamsBase['response_format']>;

/**
 * The Chat Completions calls the answer layer makes, through the official SDK so any
 * OpenAI-compatible server works. Each call has one deadline (config.timeoutMs) covering the SDK's
 * own retries (429/5xx with backoff, honouring Retry-After); failures are thrown as LlmFailure.
 */
export class LlmClient {
  private readonly sdk: OpenAI;
  /** Whether the server takes a JSON-schema response_format; learnt from its first 400. */
  private structuredOutput: 'unknown' | 'supported' | 'unsupported' = 'unknown';
  /** Per model, the output-budget parameter its server accepts; learnt from a 400 that names the other. */
  private readonly tokenParameters = new Map<string, TokenParameter>();

  constructor(
    readonly config: LlmConfig,
    private readonly logger: Logger,
  ) {
    this.sdk = new OpenAI({
      // Local servers take no key, but the SDK insists on one (and would otherwise read the env).
      apiKey: config.apiKey ?? 'no-key',
      ...(config.baseURL ? { baseURL: config.baseURL } : {}),
      timeout: config.timeoutMs,
      maxRetries: config.maxRetries,
      logLevel: 'info',
      logger: sdkLogger(logger),
    });
  }

  get model(): string {
    return this.config.model;
  }

  /**
   * Streams the answer's visible text to `onDelta` as it comes (a reasoning model's inline
   * <think>…</think> is never passed on) and resolves with all of it.
   */
  stream(messages: ChatMessage[], options: CallOptions, onDelta: (delta: string) => void): Promise<Completion> {
    return this.withDeadline(options.signal, async (signal) => {
      const stream = await this.withTokenParameter(options.maxTokens, (tokens) =>
        this.sdk.chat.completions.create(
          { ...this.body(messages), ...tokens, stream: true, stream_options: { include_usage: true } },
          { signal },
        ),
      );
      const thinking = new ThinkFilter();
      let usage: TokenUsage | undefined;
      const maxChars = maxStreamChars(options.maxTokens);
      let received = 0;
      let finishReason: string | undefined;
      for await (const chunk of stream) {
        const choice = chunk.choices?.[0];
        if (choice?.delta?.refusal) throw new LlmFailure('the model declined to answer');
        if (choice?.finish_reason === 'content_filter') throw new LlmFailure('the model declined to answer');
        if (choice?.finish_reason) finishReason = choice.finish_reason;
        // reasoning / reasoning_content deltas (DeepSeek, vLLM, Ollama) are not content: never read.
        const delta = choice?.delta?.content;
        if (delta) {
          // The cap counts everything the server sends, thinking included: it bounds our work, not the answer.
          const kept = delta.slice(0, maxChars - received);
          received += kept.length;
          const visible = thinking.push(kept);
          if (visible) onDelta(visible);
          if (received >= maxChars) {
            // Leaving the loop closes the stream (the SDK aborts the request).
            this.logger.warn('llm stream cut: longer than max_tokens allows', { model: this.model, chars: received });
            finishReason = 'length';
            break;
          }
        }
        if (chunk.usage) usage = toUsage(chunk.usage);
      }
      const rest = thinking.end();
      if (rest) onDelta(rest);
      return completion(messages, thinking.visible, usage, finishReason);
    });
  }

  /**
   * One completion with `format` as its response_format where the server supports it. A server that
   * refuses it (400, or 422 as DeepSeek answers) is asked again without, and remembered as lacking
   * it once that works.
   */
  complete(messages: ChatMessage[], options: CallOptions, format?: ResponseFormat): Promise<Completion> {
    return this.withDeadline(options.signal, async (signal) => {
      if (!format || this.structuredOutput === 'unsupported') return this.once(messages, options.maxTokens, signal);
      try {
        const result = await this.once(messages, options.maxTokens, signal, format);
        this.structuredOutput = 'supported';
        return result;
      } catch (error) {
        if (!refusesRequest(error) || this.structuredOutput === 'supported') throw error;
        const result = await this.once(messages, options.maxTokens, signal);
        this.structuredOutput = 'unsupported';
        this.logger.info('llm server lacks structured output; parsing plain replies', { model: this.model });
        return result;
      }
    });
  }

  private async once(messages: ChatMessage[], maxTokens: number, signal: AbortSignal, format?: ResponseFormat) {
    const response = await this.withTokenParameter(maxTokens, (tokens) =>
      this.sdk.chat.completions.create({ ...this.body(messages), ...tokens, ...(format ? { response_format: format } : {}) }, { signal }),
    );
    const choice = response.choices?.[0];
    if (!choice) throw new LlmFailure('malformed response (no choices)');
    if (choice.message.refusal || choice.finish_reason === 'content_filter') {
      throw new LlmFailure('the model declined to answer');
    }
    const text = stripThinking(choice.message.content ?? '');
    return completion(messages, text, response.usage ? toUsage(response.usage) : undefined, choice.finish_reason ?? undefined);
  }

  /**
   * The request with the output budget under the name this model's server takes. A 400 that names
   * the parameter sent ("Unsupported parameter: 'max_tokens' … Use 'max_completion_tokens'", as
   * OpenAI and Azure answer for o-series and gpt-5 models) is retried once with the other name,
   * which is then used for this model from then on.
   */
  private async withTokenParameter<R>(
    maxTokens: number,
    send: (tokens: Partial<Record<TokenParameter, number>>) => Promise<R>,
  ): Promise<R> {
    const sent = this.tokenParameters.get(this.model) ?? 'max_tokens';
    try {
      return await send({ [sent]: maxTokens });
    } catch (error) {
      if (!rejectsParameter(error, sent)) throw error;
      const other: TokenParameter = sent === 'max_tokens' ? 'max_completion_tokens' : 'max_tokens';
      this.tokenParameters.set(this.model, other);
      this.logger.info('llm server takes the other output budget parameter', { model: this.model, parameter: other });
      return await send({ [other]: maxTokens });
    }
  }

  private body(messages: ChatMessage[]) {
    return { model: this.model, messages };
  }

  /**
   * Runs `work` under the config's deadline and the caller's signal. The race matters: the SDK
   * sleeps through a Retry-After without watching the signal, and the answer must not wait for it.
   */
  private async withDeadline<T>(callerSignal: AbortSignal | undefined, work: (signal: AbortSignal) => Promise<T>) {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new LlmFailure(timeoutReason(this.config.timeoutMs))), this.config.timeoutMs);
    const cancel = () => controller.abort(new LlmFailure('cancelled'));
    callerSignal?.addEventListener('abort', cancel, { once: true });
    if (callerSignal?.aborted) cancel();
    const aborted = new Promise<never>((_, reject) =>
      controller.signal.addEventListener('abort', () => reject(controller.signal.reason), { once: true }),
    );
    try {
      return await Promise.race([work(controller.signal), aborted]);
    } catch (error) {
      throw controller.signal.aborted ? controller.signal.reason : new LlmFailure(describeFailure(error), error);
    } finally {
      clearTimeout(timer);
      callerSignal?.removeEventListener('abort', cancel);
    }
  }
}

export function timeoutReason(ms: number): string {
  const seconds = ms / 1000;
  return `timeout after ${Number.isInteger(seconds) ? seconds : seconds.toFixed(1)} s`;
}

function toUsage(usage: { prompt_tokens: number; completion_tokens: number }): TokenUsage {
  return { promptTokens: usage.prompt_tokens, completionTokens: usage.completion_tokens };
}

function completion(messages: ChatMessage[], text: string, usage: TokenUsage | undefined, finishReason: string | undefined): Completion {
  const reason = finishReason ? { finishReason } : {};
  if (usage) return { text, usage, usageEstimated: false, ...reason };
  const promptTokens = estimateTokens(messages.map((message) => message.content).join('\n'));
  return { text, usage: { promptTokens, completionTokens: estimateTokens(text) }, usageEstimated: true, ...reason };
}

/** A refusal of the request as such (400 from OpenAI and most servers, 422 from DeepSeek and FastAPI-based ones). */
function refusesRequest(error: unknown): boolean {
  return error instanceof OpenAI.BadRequestError || error instanceof OpenAI.UnprocessableEntityError;
}

/** A refusal that names `parameter` as unsupported (OpenAI/Azure: param "max_tokens", code "unsupported_parameter"). */
function rejectsParameter(error: unknown, parameter: TokenParameter): boolean {
  if (!refusesRequest(error)) return false;
  const apiError = error as InstanceType<typeof OpenAI.APIError>;
  if (apiError.param === parameter) return true;
  return new RegExp(
    `'?${parameter}'?[^a-z_].*(?:not supported|unsupported)|(?:unsupported|unrecognized|unknown|not supported)[^.]*\\b${parameter}\\b`,
    'i',
  ).test(apiError.message);
}

/** The SDK's own log lines (retries, statuses) as debug entries; its extra details are left out. */
function sdkLogger(logger: Logger) {
  const forward = (message: string) => logger.debug(`openai: ${message}`);
  return { error: forward, warn: forward, info: forward, debug: () => {} };
}

/**
 * The most text a stream may bring: a server that ignores max_tokens once streamed one 60,000
 * character line, which every later pass (checking, rendering) then had to walk. A token is about
 * four characters of English; eight leaves room for any honest answer.
 */
export function maxStreamChars(maxTokens: number): number {
  return Math.max(4_000, maxTokens * 8);
}
