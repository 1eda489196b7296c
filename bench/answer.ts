/**
 * Answer latency, tokens and caching: a /papers-style topic synthesis for several queries over the
 * seed corpus, against the loopback OpenAI-compatible test server streaming word by word with a
 * delay before the first token and between chunks. Token counts are the server's: ceil(characters
 * / 4) of the prompt's messages and of the reply. The second run should make no request at all.
 * Usage: node dist/bench/answer.js [--first-token-ms 300] [--chunk-ms 15] [--papers 5]
 */
import { createAnswerer, type LlmConfig, type Synthesis } from '../src/answer/index.js';
import { loadCorpus } from '../src/papers/corpus.js';
import type { Paper } from '../src/papers/paper.js';
import { DEFAULT_CORPUS } from '../src/paths.js';
import { buildIndex } from '../src/search/index.js';
import { MemoryCache } from '../test/support/memory-cache.js';
import { startOpenAiServer } from '../test/support/openai-server.js';

const QUERIES = ['distillation', 'continual learning', 'reinforcement learning', 'video generation', 'retrieval'];

interface Timing {
  firstTokenMs: number;
  totalMs: number;
  requests: number;
  final: Synthesis;
}

async function timeAnswer(run: () => AsyncIterable<string> & { final: Promise<Synthesis> }, requestCount: () => number) {
  const before = requestCount();
  const started = performance.now();
  let firstTokenMs = Number.NaN;
  const stream = run();
  for await (const _delta of stream) if (Number.isNaN(firstTokenMs)) firstTokenMs = performance.now() - started;
  const final = await stream.final;
  return { firstTokenMs, totalMs: performance.now() - started, requests: requestCount() - before, final } satisfies Timing;
}

function numberFlag(name: string, fallback: number): number {
  const at = process.argv.indexOf(name);
  const value = at >= 0 ? Number(process.argv[at + 1]) : fallback;
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} expects a number, got ${process.argv[at + 1]}`);
  return value;
}

function cell(value: string | number, width: number): string {
  return String(value).padStart(width);
}

async function main(): Promise<void> {
  const firstTokenDelayMs = numberFlag('--first-token-ms', 300);
  const chunkDelayMs = numberFlag('--chunk-ms', 15);
  const paperCount = numberFlag('--papers', 5);
  const { papers } = loadCorpus(DEFAULT_CORPUS);
  const index = buildIndex(papers);
  const server = await startOpenAiServer({ firstTokenDelayMs, chunkDelayMs });
  const config: LlmConfig = {
    baseURL: server.baseURL,
    model: 'bench-model',
    timeoutMs: 20_000,
    maxRetries: 2,
    maxPapers: 8,
    maxPromptTokens: 6_000,
    maxOutputTokens: 700,
  };
  const answerer = createAnswerer({ config, cache: new MemoryCache() });
  const top = (query: string): Paper[] => index.search(query, { limit: paperCount }).map((hit) => hit.paper);
  const requestCount = () => server.requests.length;

  console.log(
    `answer bench: ${papers.length} papers, ${paperCount} per answer, first token after ${firstTokenDelayMs} ms, ${chunkDelayMs} ms between chunks`,
  );
  console.log('tokens counted by the test server as ceil(chars / 4); 2nd run = same query again (answer cache)\n');
  const header = ['query', 'papers', 'prompt tok', 'compl tok', 'first tok ms', 'full ms', 'bullets', '2nd: requests', '2nd: ms'];
  const widths = [24, 6, 10, 9, 12, 8, 7, 13, 7];
  console.log(header.map((h, i) => (i === 0 ? h.padEnd(widths[i]!) : cell(h, widths[i]!))).join('  '));
  const totals = { first: 0, full: 0, second: 0 };
  try {
    for (const query of QUERIES) {
      const chosen = top(query);
      const first = await timeAnswer(() => answerer.synthesizeTopic(query, chosen), requestCount);
      const second = await timeAnswer(() => answerer.synthesizeTopic(query, chosen), requestCount);
      totals.first += first.firstTokenMs;
      totals.full += first.totalMs;
      totals.second += second.totalMs;
      const row = [
        query.padEnd(widths[0]!),
        chosen.length,
        first.final.usage?.promptTokens ?? '-',
        first.final.usage?.completionTokens ?? '-',
        first.firstTokenMs.toFixed(0),
        first.totalMs.toFixed(0),
        first.final.bullets.length,
        `${second.requests}${second.final.cached ? ' (cached)' : ''}`,
        second.totalMs.toFixed(1),
      ];
      console.log(row.map((value, i) => (i === 0 ? String(value) : cell(value, widths[i]!))).join('  '));
    }
    const n = QUERIES.length;
    console.log(
      `\nmean: first token ${(totals.first / n).toFixed(0)} ms, full answer ${(totals.full / n).toFixed(0)} ms, cached ${(totals.second / n).toFixed(1)} ms; ${server.requests.length} requests for ${2 * n} answers`,
    );
  } finally {
    await server.close();
  }
}

await main();
