/**
 * Slack front door under load: N concurrent signed `/papers` requests (varied topics) to the real
 * app in HTTP mode, with a loopback fake Slack Web API and an LLM test server that takes a while
 * to answer. Reports the ack latency Slack would see (target p99 <= 200 ms; Slack gives up at 3 s)
 * and how long until every answer was finished in Slack. The requests are sent from a worker thread;
 * the fake Slack and the LLM server share the app's event loop, so the figures are conservative.
 * Usage: node dist/bench/slack.js [--requests 200] [--llm-ms 2000]
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { Agent, request } from 'node:http';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { join } from 'node:path';
import { LogLevel } from '@slack/bolt';
import { createAnswerer, silentLogger } from '../src/answer/index.js';
import { createApp } from '../src/app.js';
import { loadCorpus } from '../src/papers/corpus.js';
import { DEFAULT_CORPUS, projectRoot } from '../src/paths.js';
import { buildIndex } from '../src/search/index.js';
import { DEFAULT_TIMING } from '../src/slack/deps.js';
import { openSqliteStore } from '../src/store/sqlite.js';
import { BOT_TOKEN, FakeSlack, type SlackCall } from '../src/sandbox/fake-slack.js';
import { startOpenAiServer } from '../test/support/openai-server.js';
import { SIGNING_SECRET, slashCommand, type SlackRequest } from '../src/sandbox/slack-requests.js';
import { isFinished } from '../test/support/slack-messages.js';
import { percentile } from './lib/percentile.js';

function numberFlag(name: string, fallback: number): number {
  const at = process.argv.indexOf(name);
  const value = at >= 0 ? Number(process.argv[at + 1]) : fallback;
  if (!Number.isFinite(value) || value < 1) throw new Error(`${name} expects a positive number, got ${process.argv[at + 1]}`);
  return value;
}

/** Varied topics: the seed queries, then pairs of them, so that few answers come from the cache. */
function topics(count: number): string[] {
  const file = join(projectRoot, 'test', 'fixtures', 'seed-queries.json');
  const seeds = (JSON.parse(readFileSync(file, 'utf8')) as { queries: Array<{ query: string }> }).queries.map((q) => q.query);
  return Array.from({ length: count }, (_, i) => (i < seeds.length ? seeds[i]! : `${seeds[i % seeds.length]} ${seeds[(i * 7 + 3) % seeds.length]}`));
}

/** Counts answers finished in Slack (a final edit accepted, or a private "no papers" reply), reading each call once. */
function finishedAnswers(from: number): (calls: SlackCall[]) => number {
  const finished = new Set<string>();
  let read = from;
  return (calls) => {
    for (; read < calls.length; read++) {
      const call = calls[read]!;
      if (call.method === 'chat.update' && call.response?.ok && isFinished(call.args)) finished.add(String(call.args.channel));
      if (call.method === 'response_url') finished.add(String(call.args.id));
    }
    return finished.size;
  };
}

interface LoadInput {
  url: string;
  requests: SlackRequest[];
}

interface LoadResult {
  status: number;
  ms: number;
}

/**
 * Sends the requests all at once from a worker thread (this same file), once it is up; `onStart`
 * marks the moment. Resolves with each request's status and time.
 */
function load(url: string, requests: SlackRequest[], onStart: () => void = () => {}): Promise<LoadResult[]> {
  const input: LoadInput = { url, requests };
  const worker = new Worker(new URL(import.meta.url), { workerData: input });
  return new Promise((resolve, reject) => {
    worker.once('error', reject);
    worker.once('message', () => {
      onStart();
      worker.postMessage('go');
      worker.once('message', (results: LoadResult[]) => resolve(results));
    });
  });
}

async function main(): Promise<void> {
  const count = numberFlag('--requests', 200);
  const llmMs = numberFlag('--llm-ms', 2000);
  const slack = await new FakeSlack().start();
  const llm = await startOpenAiServer({ firstTokenDelayMs: llmMs });
  const dir = mkdtempSync(join(tmpdir(), 'paperboy-bench-'));
  const store = openSqliteStore(join(dir, 'paperboy.db'));
  const index = buildIndex(loadCorpus(DEFAULT_CORPUS).papers);
  const config = { baseURL: llm.baseURL, apiKey: 'bench', model: 'bench', timeoutMs: 60_000, maxRetries: 0, maxPapers: 8, maxPromptTokens: 6_000, maxOutputTokens: 700 };
  const answerer = createAnswerer({ config, cache: store });
  const app = createApp(
    { mode: 'http', botToken: BOT_TOKEN, signingSecret: SIGNING_SECRET, port: 0, apiUrl: slack.apiUrl },
    { index, answerer, store, logger: silentLogger, timing: DEFAULT_TIMING },
    { logLevel: LogLevel.ERROR },
  );
  await app.init();
  const server = (await app.start({ port: 0, host: '127.0.0.1' })) as Server;
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;

  try {
    // Channel C{i} and response_url id C{i} both name request i, so each answer is counted once.
    const requests = topics(count).map((text, i) =>
      slashCommand({ text, channel_id: `C${i}`, user_id: `U${i % 25}`, response_url: slack.responseUrl(`C${i}`) }),
    );
    // Warm the app up (JIT, connections) on requests that do no work, as a running app would be.
    await load(url, Array.from({ length: 20 }, (_, i) => slashCommand({ text: 'help', response_url: slack.responseUrl(`warm${i}`) })));
    await slack.waitFor((calls) => calls.filter((call) => call.method === 'response_url').length === 20);
    const warmCalls = slack.calls.length;
    let started = 0;
    const acks = await load(url, requests, () => (started = performance.now()));
    const finished = finishedAnswers(warmCalls);
    await slack.waitFor((calls) => finished(calls) >= count, 180_000);
    const allDone = performance.now() - started;

    const ms = acks.map((ack) => ack.ms);
    const bad = acks.filter((ack) => ack.status !== 200).length;
    const edits = slack.callsOf('chat.update').length;
    const rows: Array<[string, string]> = [
      ['requests (concurrent)', String(count)],
      ['LLM time to first token', `${llmMs} ms`],
      ['acks not 200', String(bad)],
      ['ack p50', `${percentile(ms, 50).toFixed(1)} ms`],
      ['ack p99', `${percentile(ms, 99).toFixed(1)} ms (target <= 200)`],
      ['ack max', `${Math.max(...ms).toFixed(1)} ms`],
      ['all answers finished after', `${allDone.toFixed(0)} ms`],
      ['chat.postMessage calls', String(slack.callsOf('chat.postMessage').length)],
      ['chat.update calls', `${edits} (${(edits / count).toFixed(1)} per answer)`],
      ['private replies (no match)', String(slack.calls.slice(warmCalls).filter((call) => call.method === 'response_url').length)],
      ['LLM requests', String(llm.requests.length)],
    ];
    const width = Math.max(...rows.map(([label]) => label.length));
    console.log('slack bench: concurrent signed /papers over HTTP, fake Slack, slow LLM test server\n');
    for (const [label, value] of rows) console.log(`${label.padEnd(width)}  ${value}`);
  } finally {
    await app.stop();
    await store.close();
    await llm.close();
    await slack.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The load generator, in its own thread so that sending requests and timing the responses does not
 * run on the app's event loop (Slack's servers are not in the app's process). Says "ready", waits
 * for "go", sends every request at once, and posts back each one's status and time to response.
 */
async function generateLoad(): Promise<void> {
  const { url, requests } = workerData as LoadInput;
  const agent = new Agent({ keepAlive: true, maxSockets: Infinity });
  const send = (slackRequest: SlackRequest) =>
    new Promise<LoadResult>((resolve, reject) => {
      const started = performance.now();
      const req = request(url, { method: 'POST', headers: slackRequest.headers, agent }, (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - started }));
      });
      req.on('error', reject);
      req.end(slackRequest.body);
    });
  await new Promise<void>((resolve) => {
    parentPort!.once('message', () => resolve());
    parentPort!.postMessage('ready');
  });
  const results = await Promise.all(requests.map(send));
  agent.destroy();
  parentPort!.postMessage(results);
}

await (isMainThread ? main() : generateLoad());
