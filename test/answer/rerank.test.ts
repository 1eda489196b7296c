import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { createAnswerer } from '../../src/answer/index.js';
import { loadLlmConfig } from '../../src/answer/config.js';
import { RERANK_DEPTH, createReranker } from '../../src/answer/rerank.js';
import { answerTopic, type TopicAnswer } from '../../src/answer/topic-answer.js';
import { loadSettings } from '../../src/config.js';
import { openServices } from '../../src/runtime/services.js';
import { buildIndex, wellMatched } from '../../src/search/index.js';
import { MemoryCache } from '../support/memory-cache.js';
import { startOpenAiServer, type OpenAiTestServer, type RecordedRequest } from '../support/openai-server.js';
import { paper } from './fixtures.js';
import { recordingLogger } from '../support/recording-logger.js';

/**
 * The LLM rerank of a topic's top candidates, through the real openai SDK against the loopback
 * OpenAI-compatible server. The answers themselves are extractive here (no LLM answerer), so every
 * request the server sees is a rerank, unless a test says otherwise.
 */

const QUERY = 'how do small students learn from large teachers in knowledge distillation';

// Forty papers that all match the query about as well, so the relevance floor keeps at least 30.
const PAPERS = Array.from({ length: 40 }, (_, i) =>
  paper({
    id: `2502.${String(i + 1).padStart(5, '0')}`,
    title: `Knowledge distillation from large teachers, variant ${i + 1}`,
    abstract: `We study knowledge distillation: a small student learns from a large teacher. Variant ${i + 1} changes the loss (setting ${i * 7}).`,
  }),
);
const index = buildIndex(PAPERS);
const searchOrder = wellMatched(index.search(QUERY, { limit: RERANK_DEPTH })).map((hit) => hit.paper.id);

let server: OpenAiTestServer;
beforeEach(async () => {
  server = await startOpenAiServer();
});
afterEach(() => server.close());

/** Settings as the process reads them, with the loopback server as the LLM. */
function setup(env: NodeJS.ProcessEnv = { PAPERBOY_RERANK: 'on' }) {
  const { logger, lines } = recordingLogger();
  const llm = loadLlmConfig(loadSettings({ OPENAI_BASE_URL: server.baseURL, OPENAI_MODEL: 'test-model', LLM_MAX_RETRIES: '0', ...env }));
  const reranker = createReranker(llm, logger);
  const answerer = createAnswerer({ cache: new MemoryCache() });
  return { reranker, answerer, lines };
}

async function ask(deps: ReturnType<typeof setup>): Promise<string[]> {
  const answer = (await answerTopic(QUERY, { index, ...deps })) as TopicAnswer;
  return answer.hits.map((hit) => hit.paper.id);
}

/** The search's candidates at these 1-based places, as paper ids. */
const at = (...places: number[]) => places.map((place) => searchOrder[place - 1]!);

const isRerank = (request: RecordedRequest) => JSON.stringify(request.body?.response_format ?? {}).includes('paper_ranking');

test('the corpus gives the rerank a full window of candidates', () => {
  expect(searchOrder).toHaveLength(RERANK_DEPTH);
});

describe('LLM rerank (PAPERBOY_RERANK=on)', () => {
  test("shows the top 5 in the model's order, from a prompt of the search's top 30 with the question delimited", async () => {
    const deps = setup();
    server.enqueue({
      type: 'completion',
      content: JSON.stringify({ ranking: [25, 3, 1, ...Array.from({ length: 30 }, (_, i) => i + 1)] }),
    });
    expect(await ask(deps)).toEqual(at(25, 3, 1, 2, 4));
    expect(server.requests).toHaveLength(1);
    const request = server.requests[0]!;
    expect(isRerank(request)).toBe(true);
    const user = String(request.body?.messages?.find((message) => message.role === 'user')?.content);
    expect(user).toContain(`<query>\n${QUERY}\n</query>`);
    expect([...user.matchAll(/<paper n="(\d+)">/g)].map((match) => Number(match[1]))).toEqual(
      Array.from({ length: RERANK_DEPTH }, (_, i) => i + 1),
    );
    // Paper n is the search's n-th candidate.
    const titleOf = (id: string) => PAPERS.find((p) => p.id === id)!.title;
    expect(user).toContain(`<paper n="25">\nTitle: ${titleOf(at(25)[0]!)}\n`);
    expect(deps.lines.find((line) => line.message === 'llm rerank')?.fields).toMatchObject({ candidates: 30, ranked: 30 });
    expect(deps.lines.filter((line) => line.level === 'warn')).toEqual([]);
  });

  test('a reply that is not a ranking keeps the search order, with a warning and no word to the person', async () => {
    const deps = setup();
    server.enqueue({ type: 'completion', content: 'Paper 3 is clearly the most relevant, then paper 1.' });
    const answer = (await answerTopic(QUERY, { index, ...deps })) as TopicAnswer;
    expect(answer.hits.map((hit) => hit.paper.id)).toEqual(at(1, 2, 3, 4, 5));
    expect((await answer.synthesis.final).notice ?? '').not.toMatch(/rerank|malformed/i);
    expect(deps.lines.filter((line) => line.level === 'warn')).toEqual([
      expect.objectContaining({
        message: 'llm rerank failed; search order kept',
        fields: expect.objectContaining({ reason: 'malformed reply (no ranking)' }),
      }),
    ]);
  });

  test('JSON with no known paper number is a failure too', async () => {
    const deps = setup();
    server.enqueue({ type: 'completion', content: JSON.stringify({ ranking: [0, 31, 99] }) });
    expect(await ask(deps)).toEqual(at(1, 2, 3, 4, 5));
    expect(deps.lines.find((line) => line.level === 'warn')?.fields?.reason).toBe('malformed reply (no known paper numbers)');
  });

  test('unknown numbers are dropped, repeats ignored, and candidates left out follow in search order', async () => {
    const deps = setup();
    server.enqueue({ type: 'completion', content: JSON.stringify({ ranking: [99, 4, 0, 4, -2, 2, 31, 4] }) });
    expect(await ask(deps)).toEqual(at(4, 2, 1, 3, 5));
    expect(deps.lines.find((line) => line.message === 'llm rerank')?.fields).toMatchObject({ ranked: 2, unknown: 4, duplicates: 2 });
  });

  test('a server without structured output: asked again without, and a fenced bare array of "[n]" strings is read', async () => {
    await server.close();
    server = await startOpenAiServer({ rejectResponseFormat: true });
    const deps = setup();
    server.enqueue({ type: 'completion', content: '```json\n["[7]", "2", 7]\n```' });
    expect(await ask(deps)).toEqual(at(7, 2, 1, 3, 4));
    expect(server.requests.map((request) => request.body?.response_format !== undefined)).toEqual([true, false]);
  });

  test('a model that thinks first: the <think> part is not read as the ranking', async () => {
    const deps = setup();
    server.enqueue({
      type: 'completion',
      content: '<think>The reply must be {"ranking": [1, 2]}; paper 9 fits best.</think>\n{"ranking": [9, 8]}',
    });
    expect(await ask(deps)).toEqual(at(9, 8, 1, 2, 3));
  });

  test('a reply cut off while thinking keeps the search order', async () => {
    const deps = setup();
    server.enqueue({ type: 'completion', content: '<think>Paper 9 is about', finishReason: 'length' });
    expect(await ask(deps)).toEqual(at(1, 2, 3, 4, 5));
    expect(deps.lines.find((line) => line.level === 'warn')?.fields?.reason).toBe('the model ran out of output tokens');
  });

  test('past LLM_RERANK_TIMEOUT_MS the search order is shown, and the request is abandoned', async () => {
    const deps = setup({ PAPERBOY_RERANK: 'on', LLM_RERANK_TIMEOUT_MS: '300' });
    server.enqueue({ type: 'hang' });
    const started = Date.now();
    expect(await ask(deps)).toEqual(at(1, 2, 3, 4, 5));
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(deps.lines.find((line) => line.level === 'warn')?.fields?.reason).toBe('timeout after 0.3 s');
    await expect.poll(() => server.requests[0]?.abandonedAt).toBeDefined();
  });

  test('a server error keeps the search order', async () => {
    const deps = setup();
    server.enqueue({ type: 'error', status: 500 });
    expect(await ask(deps)).toEqual(at(1, 2, 3, 4, 5));
    expect(deps.lines.find((line) => line.level === 'warn')?.fields?.reason).toBe('server error (500)');
  });

  test('one matching paper: nothing to order, no call', async () => {
    const deps = setup();
    const answer = (await answerTopic('variant 17 setting 112', { index, ...deps }, { limit: 5 })) as TopicAnswer;
    expect(answer.hits.map((hit) => hit.paper.id)).toEqual(['2502.00017']);
    expect(server.requests).toEqual([]);
  });
});

describe('rerank off', () => {
  test('is the default: no reranker, no rerank request, and the lexical answer stays synchronous', async () => {
    const llm = loadLlmConfig(loadSettings({ OPENAI_BASE_URL: server.baseURL, OPENAI_MODEL: 'test-model' }));
    expect(llm).toBeDefined();
    expect(createReranker(llm, recordingLogger().logger)).toBeUndefined();
    const answerer = createAnswerer({ config: llm!, cache: new MemoryCache() });
    const answer = answerTopic(QUERY, { index, answerer });
    expect(answer).not.toBeInstanceOf(Promise);
    const topic = answer as TopicAnswer;
    expect(topic.hits.map((hit) => hit.paper.id)).toEqual(at(1, 2, 3, 4, 5));
    await topic.synthesis.final;
    await topic.tldrs;
    // The answer's own calls (synthesis, TL;DRs) happened; none was a rerank.
    expect(server.requests.length).toBeGreaterThan(0);
    expect(server.requests.filter(isRerank)).toEqual([]);
  });

  test('on without an LLM does nothing', () => {
    expect(createReranker(loadLlmConfig(loadSettings({ PAPERBOY_RERANK: 'on' })), recordingLogger().logger)).toBeUndefined();
  });

  test('PAPERBOY_RERANK takes only on or off', () => {
    expect(() => loadSettings({ PAPERBOY_RERANK: 'yes' })).toThrow(/PAPERBOY_RERANK: expected on or off/);
    expect(loadLlmConfig(loadSettings({ OPENAI_API_KEY: 'k', PAPERBOY_RERANK: ' ON ' }))?.rerank).toEqual({ timeoutMs: 5_000 });
  });
});

describe('the running bot', () => {
  test('has a reranker only with PAPERBOY_RERANK=on and an LLM, and says so when the LLM is missing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'paperboy-rerank-'));
    const open = async (env: NodeJS.ProcessEnv) => {
      const { logger, lines } = recordingLogger();
      const settings = loadSettings({ PAPERBOY_DB: join(dir, 'paperboy.db'), ...env });
      const services = await openServices(settings, loadLlmConfig(settings), logger);
      await services.store.close();
      return { reranker: services.reranker, warnings: lines.filter((line) => line.level === 'warn').map((line) => line.message) };
    };
    try {
      expect((await open({ OPENAI_BASE_URL: server.baseURL, PAPERBOY_RERANK: 'on' })).reranker).toBeDefined();
      expect((await open({ OPENAI_BASE_URL: server.baseURL })).reranker).toBeUndefined();
      expect(await open({ PAPERBOY_RERANK: 'on' })).toEqual({
        reranker: undefined,
        warnings: ['PAPERBOY_RERANK=on does nothing without an LLM (OPENAI_API_KEY or OPENAI_BASE_URL)'],
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
