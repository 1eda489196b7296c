import OpenAI from 'openai';
import type { ChatCompletionCreateParamsBase } from 'openai/resources/chat/completions';
import type { LlmConfig } from './config.js';
import type { Logger } from '../lib/logger.js';
import type { ChatMessage } from './prompts.js';
import type { TokenUsage } from './types.js';
import { estimateTokens } from './budget.js';
import { LlmFailure, describeFailure } from './failure.js';

export interface Completion {
  text: string;
  usage: TokenUsage;
  /** True when the server did not report usage and it was estimated from characters. */
  usageEstimated: boolean;
}

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

  /** Streams the answer's text to `onDelta` as it comes and resolves with all of it. */
  stream(messages: ChatMessage[], options: CallOptions, onDelta: (delta: string) => void): Promise<Completion> {
    return this.withDeadline(options.signal, async (signal) => {
      const stream = await this.sdk.chat.completions.create(
        { ...this.body(messages, options.maxTokens), stream: true, stream_options: { include_usage: true } },
        { signal },
      );
      let text = '';
      let usage: TokenUsage | undefined;
      const maxChars = maxStreamChars(options.maxTokens);
      for await (const chunk of stream) {
        const choice = chunk.choices[0];
        if (choice?.delta?.refusal) throw new LlmFailure('the model declined to answer');
        if (choice?.finish_reason === 'content_filter') throw new LlmFailure('the model declined to answer');
        const delta = choice?.delta?.content;
        if (delta) {
          const kept = delta.slice(0, maxChars - text.length);
          text += kept;
          if (kept) onDelta(kept);
          if (text.length >= maxChars) {
            // Leaving the loop closes the stream (the SDK aborts the request).
            this.logger.warn('llm stream cut: longer than max_tokens allows', { model: this.model, chars: text.length });
            break;
          }
        }
        if (chunk.usage) usage = toUsage(chunk.usage);
      }
      return completion(messages, text, usage);
    });
  }

  /**
   * One completion with `format` as its response_format where the server supports it. A server that
   * answers 400 to it is asked again without, and remembered as lacking it once that works.
   */
  complete(messages: ChatMessage[], options: CallOptions, format?: ResponseFormat): Promise<Completion> {
    return this.withDeadline(options.signal, async (signal) => {
      if (!format || this.structuredOutput === 'unsupported') return this.once(messages, options.maxTokens, signal);
      try {
        const result = await this.once(messages, options.maxTokens, signal, format);
        this.structuredOutput = 'supported';
        return result;
      } catch (error) {
        if (!(error instanceof OpenAI.BadRequestError) || this.structuredOutput === 'supported') throw error;
        const result = await this.once(messages, options.maxTokens, signal);
        this.structuredOutput = 'unsupported';
        this.logger.info('llm server lacks structured output; parsing plain replies', { model: this.model });
        return result;
      }
    });
  }

  private async once(messages: ChatMessage[], maxTokens: number, signal: AbortSignal, format?: ResponseFormat) {
    const response = await this.sdk.chat.completions.create(
      { ...this.body(messages, maxTokens), ...(format ? { response_format: format } : {}) },
      { signal },
    );
    const choice = response.choices?.[0];
    if (!choice) throw new LlmFailure('malformed response (no choices)');
    if (choice.message.refusal || choice.finish_reason === 'content_filter') {
      throw new LlmFailure('the model declined to answer');
    }
    return completion(messages, choice.message.content ?? '', response.usage ? toUsage(response.usage) : undefined);
  }

  private body(messages: ChatMessage[], maxTokens: number) {
    return {
      model: this.model,
      messages,
      // OpenAI's newer models accept only max_completion_tokens; many compatible servers only max_tokens.
      ...(this.config.baseURL && !this.config.baseURL.includes('api.openai.com')
        ? { max_tokens: maxTokens }
        : { max_completion_tokens: maxTokens }),
    };
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

function completion(messages: ChatMessage[], text: string, usage: TokenUsage | undefined): Completion {
  if (usage) return { text, usage, usageEstimated: false };
  const promptTokens = estimateTokens(messages.map((message) => message.content).join('\n'));
  return { text, usage: { promptTokens, completionTokens: estimateTokens(text) }, usageEstimated: true };
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
