/**
 * What the LLM rerank (PAPERBOY_RERANK=on) adds to the time before a /papers answer starts: the
 * search's top 30 well-matched hits, one prompt, one JSON reply, parsed and applied. Measured
 * against the loopback OpenAI-compatible test server, which answers at once unless `--model-ms`
 * says otherwise, so the figure is Paperboy's own overhead (prompt, SDK, HTTP, parsing) and not a
 * model's: a real model's time to read ~30 abstracts and write ~30 numbers comes on top. Queries
 * are SciFact's natural-language claims over its 5,183 abstracts, so most fill the window of 30.
 * Rerank quality is not measured: no model can be reached from here.
 * Usage: node dist/bench/rerank.js [--queries 100] [--model-ms 0]
 */
import { cpus } from 'node:os';
import { DEFAULT_RERANK_TIMEOUT_MS } from '../src/answer/config.js';
import { createAnswerer } from '../src/answer/index.js';
import { createReranker, type Reranker } from '../src/answer/rerank.js';
import { answerTopic } from '../src/answer/topic-answer.js';
import { silentLogger } from '../src/lib/logger.js';
import { buildIndex } from '../src/search/index.js';
import { MemoryCache } from '../test/support/memory-cache.js';
import { plausibleReply, startOpenAiServer } from '../test/support/openai-server.js';
import { benchLlmConfig } from './lib/llm-config.js';
import { percentile } from './lib/percentile.js';
import { flag, loadScifact } from './lib/scifact.js';

const queryCount = Number(flag('--queries') ?? 100);
const modelMs = Number(flag('--model-ms') ?? 0);
if (!Number.isInteger(queryCount) || queryCount < 1) throw new Error('--queries expects a whole number');
if (!Number.isFinite(modelMs) || modelMs < 0) throw new Error('--model-ms expects a number of milliseconds');

const { papers, queries } = loadScifact();
const index = buildIndex(papers);
const chosen = queries.slice(0, queryCount).map((judged) => judged.query);
const server = await startOpenAiServer({
  respond: (request) => {
    const reply = plausibleReply(request);
    return reply.type === 'completion' ? { ...reply, delayMs: modelMs } : reply;
  },
});
const reranker = createReranker({ ...benchLlmConfig(server.baseURL, 700), rerank: { timeoutMs: DEFAULT_RERANK_TIMEOUT_MS } }, silentLogger);
const answerer = createAnswerer({ cache: new MemoryCache() });

/** Milliseconds from the query to the answer's papers being known (the synthesis starts then). */
async function timeToPapers(query: string, withReranker: Reranker | undefined): Promise<number> {
  const started = performance.now();
  const answer = await answerTopic(query, { index, answerer, reranker: withReranker });
  const ms = performance.now() - started;
  answer?.cancel();
  return ms;
}

try {
  // Warm up both paths (JIT, the SDK's first connection).
  for (const query of chosen.slice(0, 5)) {
    await timeToPapers(query, undefined);
    await timeToPapers(query, reranker);
  }
  const before = server.requests.length;
  const off: number[] = [];
  const on: number[] = [];
  for (const query of chosen) {
    off.push(await timeToPapers(query, undefined));
    on.push(await timeToPapers(query, reranker));
  }
  const requests = server.requests.slice(before);
  const candidates = requests.map(
    (request) => String(request.body?.messages?.map((message) => message.content).join('\n')).match(/<paper n="/g)?.length ?? 0,
  );
  const promptTokens = requests.map((request) => request.promptTokens);
  const row = (name: string, samples: number[]) =>
    `| ${name} | ${percentile(samples, 50).toFixed(2)} | ${percentile(samples, 95).toFixed(2)} | ${percentile(samples, 99).toFixed(2)} |`;
  console.log(
    `rerank bench: SciFact, ${papers.length} abstracts, ${chosen.length} claims as queries; model delay ${modelMs} ms; ${cpus()[0]?.model} x${cpus().length}, node ${process.version}\n`,
  );
  console.log("| time to the answer's papers | p50 ms | p95 ms | p99 ms |\n|---|---:|---:|---:|");
  console.log(row('rerank off', off));
  console.log(row('rerank on', on));
  console.log(
    row(
      'added by rerank (per query)',
      on.map((ms, i) => ms - off[i]!),
    ),
  );
  console.log(
    `\n${requests.length} rerank requests; candidates per prompt p50 ${percentile(candidates, 50)}, min ${Math.min(...candidates)}; prompt tokens (server's chars / 4) p50 ${percentile(promptTokens, 50)}, max ${Math.max(...promptTokens)}`,
  );
} finally {
  await server.close();
}
