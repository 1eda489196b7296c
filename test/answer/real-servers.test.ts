import { afterEach, describe, expect, test } from 'vitest';
import { createAnswerer, type LlmConfig } from '../../src/answer/index.js';
import { loadLlmConfig as llmConfigOf } from '../../src/answer/config.js';
import { loadSettings } from '../../src/config.js';
import type { SynthesisStream } from '../../src/answer/types.js';
import { MemoryCache } from '../support/memory-cache.js';
import { DEEPSEEK_JSON_SCHEMA_422, startOpenAiServer, type OpenAiServerOptions, type OpenAiTestServer } from '../support/openai-server.js';
import { PAPERS } from './fixtures.js';
import { recordingLogger } from '../support/recording-logger.js';

/**
 * What real OpenAI-compatible servers send, through the real `openai` SDK over loopback (issue 9).
 *
 * Shapes:
 * - DeepSeek-R1 and Qwen3 served by Ollama, llama.cpp, vLLM without a reasoning parser and LM Studio
 *   put their thinking inline in `delta.content` as "<think>\n…\n</think>\n\n<answer>", token by token,
 *   so a tag arrives split across chunks (llama.cpp's chunks, e.g. `{"content":"\n</think>"}`, quoted in
 *   ikawrakow/ik_llama.cpp#690; the inline tags in langgenius/dify#16108 and fmaclen/hollama#260).
 * - A chat template that opens "<think>\n" in the prompt (DeepSeek-R1's own) makes the reply start
 *   inside the thinking: only "</think>" appears (ik_llama.cpp#690).
 * - DeepSeek's API and vLLM's reasoning parser send thinking as `delta.reasoning_content` with
 *   `content: null` (DeepSeek API docs; karthink/gptel#592 shows the captured stream).
 * - finish_reason "length" on the last chunk when max_tokens ran out (OpenAI's chunk schema).
 */
const loadLlmConfig = (env: NodeJS.ProcessEnv) => llmConfigOf(loadSettings(env));

let server: OpenAiTestServer;
afterEach(() => server.close());

async function setup(options: OpenAiServerOptions = {}, overrides: Partial<LlmConfig> = {}) {
  server = await startOpenAiServer(options);
  const cache = new MemoryCache();
  const { logger, lines } = recordingLogger();
  const config: LlmConfig = {
    apiKey: 'sk-test',
    baseURL: server.baseURL,
    model: 'deepseek-r1:8b',
    timeoutMs: 5_000,
    maxRetries: 0,
    maxPapers: 8,
    maxPromptTokens: 6_000,
    maxOutputTokens: 400,
    ...overrides,
  };
  return { answerer: createAnswerer({ config, cache, logger }), cache, lines };
}

async function collect(stream: SynthesisStream) {
  const deltas: string[] = [];
  for await (const delta of stream) deltas.push(delta);
  return { deltas, final: await stream.final };
}

/** Token-sized pieces, as servers stream them: tags split too. */
function tokens(text: string): string[] {
  return text.match(/[\s\S]{1,4}/g) ?? [];
}

const THINKING = '<think>\nOkay, so I need to summarise these papers. Maybe combine [3] and [4] somehow, they look related.\n</think>\n\n';
const ANSWER = '- Draft trees verify many continuations at once [1].\n- Quantized attention complements speculative decoding [2].';

describe('reasoning models: thinking is never shown, checked or cached', () => {
  test('inline <think>…</think> before the bullets, split across chunks', async () => {
    const { answerer, cache } = await setup();
    server.enqueue({ type: 'stream', chunks: tokens(THINKING + ANSWER) });
    const { deltas, final } = await collect(answerer.synthesizeTopic('speculative decoding', PAPERS));
    expect(deltas.join('')).not.toMatch(/think|Okay|somehow/);
    expect(final).toMatchObject({
      kind: 'llm',
      bullets: ['Draft trees verify many continuations at once [1].', 'Quantized attention complements speculative decoding [2].'],
      cited: [1, 2],
    });
    expect([...cache.entries.values()].join('')).not.toMatch(/think|somehow/);
  });

  test('a stream cut off while thinking (an unclosed <think>): nothing shown, the real reason given', async () => {
    const { answerer, cache } = await setup();
    server.enqueue({
      type: 'stream',
      chunks: tokens('<think>\nOkay, the user wants [1] and [2] compared. First, [1] says'),
      finishReason: 'length',
    });
    const { deltas, final } = await collect(answerer.synthesizeTopic('speculative decoding', PAPERS));
    expect(deltas.join('')).not.toMatch(/think|Okay|user wants/);
    expect(final.kind).toBe('extractive');
    expect(final.notice).toBe('LLM unavailable (the model ran out of output tokens): extractive summary');
    expect(cache.entries.size).toBe(0);
  });

  test('a reply that starts inside the thinking (the template opened <think>): what precedes </think> is dropped', async () => {
    const { answerer } = await setup();
    server.enqueue({ type: 'stream', chunks: tokens(`Okay, so maybe combine [3] and [4] somehow here.\n</think>\n\n${ANSWER}`) });
    const final = await answerer.synthesizeTopic('speculative decoding', PAPERS).final;
    expect(final.bullets).toEqual([
      'Draft trees verify many continuations at once [1].',
      'Quantized attention complements speculative decoding [2].',
    ]);
  });

  test('reasoning_content deltas (DeepSeek API, vLLM) are ignored', async () => {
    const { answerer } = await setup();
    server.enqueue({ type: 'stream', reasoningChunks: ['Okay, ', 'combine [3] and [4] somehow.'], chunks: tokens(ANSWER) });
    const { deltas, final } = await collect(answerer.synthesizeTopic('speculative decoding', PAPERS));
    expect(deltas.join('')).not.toContain('somehow');
    expect(final.bullets).toHaveLength(2);
  });

  test('a TL;DR with thinking before its JSON (a non-streamed R1 reply) keeps only the sentence', async () => {
    const { answerer } = await setup();
    server.enqueue({ type: 'completion', content: `${THINKING}{"tldr": "Draft trees make decoding 2.8x faster."}` });
    expect(await answerer.tldr(PAPERS[0]!)).toEqual({ kind: 'llm', text: 'Draft trees make decoding 2.8x faster.' });
  });
});

describe('finish_reason "length"', () => {
  test('drops the cut-off last bullet instead of showing and caching it', async () => {
    const { answerer, cache } = await setup();
    const cut = `${ANSWER}\n- Both combine [1] and [2] with interacti`;
    server.enqueue({ type: 'stream', chunks: tokens(cut), finishReason: 'length' });
    const { deltas, final } = await collect(answerer.synthesizeTopic('speculative decoding', PAPERS));
    expect(final.bullets).toEqual([
      'Draft trees verify many continuations at once [1].',
      'Quantized attention complements speculative decoding [2].',
    ]);
    expect(deltas.join('')).not.toContain('interacti');
    expect([...cache.entries.values()].join('')).not.toContain('interacti');
  });

  test('keeps a last bullet the model had finished (its line ended) when the budget ran out just after', async () => {
    const { answerer } = await setup();
    server.enqueue({ type: 'stream', chunks: tokens(`${ANSWER}\n`), finishReason: 'length' });
    const final = await answerer.synthesizeTopic('speculative decoding', PAPERS).final;
    expect(final.bullets).toHaveLength(2);
  });

  test('a TL;DR cut off at its budget is not kept: extractive, with the reason logged', async () => {
    const { answerer, cache, lines } = await setup();
    server.enqueue({ type: 'completion', content: '<think>\nOkay, the paper proposes', finishReason: 'length' });
    expect((await answerer.tldr(PAPERS[0]!)).kind).not.toBe('llm');
    expect(cache.entries.size).toBe(0);
    expect(lines).toContainEqual(
      expect.objectContaining({
        message: 'llm tldr failed; extractive instead',
        fields: expect.objectContaining({ reason: 'the model ran out of output tokens' }),
      }),
    );
  });
});

describe('output budgets', () => {
  test('per kind, from the environment, and sent as the request budget', async () => {
    const env = {
      OPENAI_API_KEY: 'sk',
      LLM_MAX_OUTPUT_TOKENS: '4000',
      LLM_TLDR_MAX_OUTPUT_TOKENS: '1500',
      LLM_FOLLOW_UP_MAX_OUTPUT_TOKENS: '2500',
    };
    expect(loadLlmConfig(env)).toMatchObject({ maxOutputTokens: 4000, maxTldrTokens: 1500, maxFollowUpTokens: 2500 });
    expect(loadLlmConfig({ OPENAI_API_KEY: 'sk' })).not.toHaveProperty('maxTldrTokens');
    const { answerer } = await setup({}, { maxOutputTokens: 4000, maxTldrTokens: 1500, maxFollowUpTokens: 2500 });
    await answerer.tldr(PAPERS[0]!);
    await answerer.synthesizeTopic('speculative decoding', PAPERS).final;
    await answerer.followUp('how fast?', PAPERS, []).final;
    await answerer.deepDive(PAPERS[0]!).final;
    expect(server.requests.map((request) => request.body?.max_tokens)).toEqual([1500, 4000, 2500, 4000]);
  });
});

describe('max_tokens or max_completion_tokens: what the server accepts', () => {
  test('an o-series/gpt-5 deployment refuses max_tokens with 400: retried once with max_completion_tokens, remembered per model', async () => {
    const { answerer } = await setup({ rejectParameter: 'max_tokens' }, { model: 'gpt-5-mini' });
    const first = await answerer.synthesizeTopic('speculative decoding', PAPERS).final;
    expect(first.kind).toBe('llm');
    expect((await answerer.tldr(PAPERS[0]!)).kind).toBe('llm');
    const sent = server.requests.map((request) => (request.body?.max_tokens !== undefined ? 'max_tokens' : 'max_completion_tokens'));
    expect(sent).toEqual(['max_tokens', 'max_completion_tokens', 'max_completion_tokens']);
  });

  test('a server that refuses max_completion_tokens once learnt is asked with max_tokens again', async () => {
    const { answerer } = await setup({ rejectParameter: 'max_completion_tokens' });
    expect((await answerer.synthesizeTopic('speculative decoding', PAPERS).final).kind).toBe('llm');
    expect(server.requests.map((request) => request.body?.max_tokens)).toEqual([400]);
  });

  test('any other 400 is not retried', async () => {
    const { answerer } = await setup();
    server.enqueue({ type: 'error', status: 400, message: "This model's maximum context length is 8192 tokens." });
    const final = await answerer.synthesizeTopic('speculative decoding', PAPERS).final;
    expect(final.notice).toBe('LLM unavailable (request rejected (400)): extractive summary');
    expect(server.requests).toHaveLength(1);
  });
});

describe('response_format refused', () => {
  test("DeepSeek's 422 (plain text) is treated like a 400: retried without it, then remembered", async () => {
    const { answerer } = await setup({ rejectResponseFormat: DEEPSEEK_JSON_SCHEMA_422 });
    server.enqueue(
      { type: 'completion', content: '{"tldr": "Draft trees make decoding 2.8x faster."}' },
      { type: 'completion', content: '{"tldr": "A 4-bit kernel speeds up long-context attention."}' },
    );
    expect(await answerer.tldr(PAPERS[0]!)).toEqual({ kind: 'llm', text: 'Draft trees make decoding 2.8x faster.' });
    expect(await answerer.tldr(PAPERS[1]!)).toEqual({ kind: 'llm', text: 'A 4-bit kernel speeds up long-context attention.' });
    expect(server.requests.map((request) => Boolean(request.body?.response_format))).toEqual([true, false, false]);
  });
});
