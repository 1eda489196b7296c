import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { createAnswerer } from '../../src/answer/index.js';
import type { Logger } from '../../src/lib/logger.js';
import { maxStreamChars } from '../../src/answer/llm.js';
import { MemoryCache } from '../support/memory-cache.js';
import { startOpenAiServer, type OpenAiTestServer } from '../support/openai-server.js';
import { PAPERS } from './fixtures.js';

let server: OpenAiTestServer;
beforeEach(async () => {
  server = await startOpenAiServer();
});
afterEach(() => server.close());

describe('a server that ignores max_tokens', () => {
  test('streams no more than max_tokens allows; the answer keeps its grounded bullets', async () => {
    const warnings: string[] = [];
    const logger: Logger = { debug() {}, info() {}, error() {}, warn: (message) => void warnings.push(message) };
    const answerer = createAnswerer({
      config: {
        apiKey: 'k',
        baseURL: server.baseURL,
        model: 'm',
        timeoutMs: 10_000,
        maxRetries: 0,
        maxPapers: 8,
        maxPromptTokens: 6_000,
        maxOutputTokens: 400,
      },
      cache: new MemoryCache(),
      logger,
    });
    // One grounded bullet, then a 60,000-character line in 100 chunks, as a runaway server sent.
    const runaway = Array.from({ length: 100 }, () => 'word '.repeat(120));
    server.enqueue({ type: 'stream', chunks: ['- Draft trees verify many continuations at once [1].\n- ', ...runaway] });
    const stream = answerer.synthesizeTopic('speculative decoding', PAPERS);
    let streamed = 0;
    for await (const delta of stream) streamed += delta.length;
    const final = await stream.final;
    expect(streamed).toBeLessThanOrEqual(maxStreamChars(400));
    expect(final.bullets[0]).toBe('Draft trees verify many continuations at once [1].');
    expect(final.bullets.join('').length).toBeLessThanOrEqual(maxStreamChars(400));
    expect(warnings).toContain('llm stream cut: longer than max_tokens allows');
  });
});
