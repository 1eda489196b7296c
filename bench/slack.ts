/**
 * Slack front door under load: N concurrent signed `/papers` requests (varied topics) to the real
 * app in HTTP mode, with a loopback fake Slack Web API and an LLM test server that takes a while
 * to answer. Reports the ack latency Slack would see (target p99 <= 200 ms; Slack gives up at 3 s)
 * and how long until every answer was finished in Slack. The load generator and the two stand-ins
 * (fake Slack, LLM server) each run in a worker thread of their own, as Slack and the LLM are not
 * in the app's process; the app has the main thread's event loop to itself.
 * A second run puts five papers with 20,000-character hostile abstracts (one long token, runs of
 * dots, initials, hyphens, brackets) in the index, sends one `/papers` that finds all five, and then
 * a trickle of other people's `/papers` while it is answered: their acks show whether any text pass
 * over those abstracts holds the event loop.
 * Usage: node dist/bench/slack.js [--requests 200] [--llm-ms 2000] [--trickle 100]
 */
import { benchLlmConfig } from './lib/llm-config.js';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { Agent, request } from 'node:http';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { join } from 'node:path';
import { LogLevel } from '@slack/bolt';
import { createAnswerer } from '../src/answer/index.js';
import { silentLogger } from '../src/lib/logger.js';
import { createApp } from '../src/app.js';
import { loadCorpus } from '../src/papers/corpus.js';
import { DEFAULT_CORPUS, projectRoot } from '../src/paths.js';
import { buildIndex } from '../src/search/index.js';
import { DEFAULT_TIMING } from '../src/slack/deps.js';
import { openSqliteStore } from '../src/store/sqlite.js';
import { BOT_TOKEN, FakeSlack, type SlackCall } from '../src/fake-slack/web-api.js';
import { startOpenAiServer } from '../test/support/openai-server.js';
import { SIGNING_SECRET, slashCommand, type SlackRequest } from '../src/fake-slack/signed-requests.js';
import { isFinished } from '../test/support/slack-messages.js';
import type { Paper } from '../src/papers/paper.js';
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
  return Array.from({ length: count }, (_, i) =>
    i < seeds.length ? seeds[i]! : `${seeds[i % seeds.length]} ${seeds[(i * 7 + 3) % seeds.length]}`,
  );
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

/** `spacingMs`: send one request every so many ms instead of all at once. */
type Role = { role: 'load'; url: string; requests: SlackRequest[]; spacingMs?: number } | { role: 'peers'; llmMs: number };

interface LoadResult {
  status: number;
  ms: number;
}

/** What the app's Slack and LLM stand-ins saw. */
interface PeerCounts {
  postMessages: number;
  updates: number;
  privateReplies: number;
  llmRequests: number;
}

/** Questions to the stand-ins' thread, each answered by one message. */
type PeerQuestion =
  | { op: 'wait-private-replies'; count: number }
  | { op: 'wait-answers'; count: number }
  | { op: 'mark' }
  | { op: 'counts' }
  | { op: 'stop' };

/** A worker thread running this file in a role; `ask` sends a message and resolves with the reply. */
class Thread {
  private readonly worker: Worker;
  private readonly first: Promise<unknown>;

  constructor(role: Role) {
    this.worker = new Worker(new URL(import.meta.url), { workerData: role });
    this.first = this.reply();
  }

  ready<T>(): Promise<T> {
    return this.first as Promise<T>;
  }

  ask<T>(message: unknown): Promise<T> {
    const reply = this.reply() as Promise<T>;
    this.worker.postMessage(message);
    return reply;
  }

  private reply(): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const fail = (error: Error) => reject(error);
      this.worker.once('error', fail);
      this.worker.once('message', (message: unknown) => {
        this.worker.off('error', fail);
        resolve(message);
      });
    });
  }
}

/** Sends the requests all at once from a thread of its own; `onStart` marks the moment. */
async function load(url: string, requests: SlackRequest[], onStart: () => void = () => {}, spacingMs?: number): Promise<LoadResult[]> {
  const thread = new Thread({ role: 'load', url, requests, ...(spacingMs ? { spacingMs } : {}) });
  await thread.ready();
  const results = thread.ask<LoadResult[]>('go');
  onStart();
  return results;
}

async function main(): Promise<void> {
  const count = numberFlag('--requests', 200);
  const llmMs = numberFlag('--llm-ms', 2000);
  const peers = new Thread({ role: 'peers', llmMs });
  const { apiUrl, llmUrl, responseUrl } = await peers.ready<{ apiUrl: string; llmUrl: string; responseUrl: string }>();
  const dir = mkdtempSync(join(tmpdir(), 'paperboy-bench-'));
  const store = openSqliteStore(join(dir, 'paperboy.db'));
  const index = buildIndex([...loadCorpus(DEFAULT_CORPUS).papers, ...hostilePapers()]);
  const config = benchLlmConfig(llmUrl, 700);
  const answerer = createAnswerer({ config, cache: store });
  const app = createApp(
    { mode: 'http', botToken: BOT_TOKEN, signingSecret: SIGNING_SECRET, port: 0, apiUrl },
    { index, answerer, store, logger: silentLogger, timing: DEFAULT_TIMING },
    { logLevel: LogLevel.ERROR },
  );
  await app.init();
  const server = (await app.start({ port: 0, host: '127.0.0.1' })) as Server;
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
  const respondTo = (id: string) => responseUrl + encodeURIComponent(id);

  try {
    // Warm the app up (JIT, connections) on requests that do no work, as a running app would be.
    const warm = 20;
    await load(
      url,
      Array.from({ length: warm }, (_, i) => slashCommand({ text: 'help', response_url: respondTo(`warm${i}`) })),
    );
    await peers.ask({ op: 'wait-private-replies', count: warm } satisfies PeerQuestion);
    // Channel C{i} and response_url id C{i} both name request i, so each answer is counted once.
    const requests = topics(count).map((text, i) =>
      slashCommand({ text, channel_id: `C${i}`, user_id: `U${i % 25}`, response_url: respondTo(`C${i}`) }),
    );
    let started = 0;
    const acks = await load(url, requests, () => (started = performance.now()));
    await peers.ask({ op: 'wait-answers', count } satisfies PeerQuestion);
    const allDone = performance.now() - started;
    const seen = await peers.ask<PeerCounts>({ op: 'counts' } satisfies PeerQuestion);

    const ms = acks.map((ack) => ack.ms);
    const bad = acks.filter((ack) => ack.status !== 200).length;
    const rows: Array<[string, string]> = [
      ['requests (concurrent)', String(count)],
      ['LLM time to first token', `${llmMs} ms`],
      ['acks not 200', String(bad)],
      ['ack p50', `${percentile(ms, 50).toFixed(1)} ms`],
      ['ack p99', `${percentile(ms, 99).toFixed(1)} ms (target <= 200)`],
      ['ack max', `${Math.max(...ms).toFixed(1)} ms`],
      ['all answers finished after', `${allDone.toFixed(0)} ms`],
      ['chat.postMessage calls', String(seen.postMessages)],
      ['chat.update calls', `${seen.updates} (${(seen.updates / count).toFixed(1)} per answer)`],
      ['private replies (no match)', String(seen.privateReplies - warm)],
      ['LLM requests', String(seen.llmRequests)],
    ];
    rows.push(...(await hostileRun(url, respondTo, numberFlag('--trickle', 100), peers)));
    const width = Math.max(...rows.map(([label]) => label.length));
    console.log('slack bench: concurrent signed /papers over HTTP, fake Slack, slow LLM test server\n');
    for (const [label, value] of rows) console.log(`${label.padEnd(width)}  ${value}`);
  } finally {
    await app.stop();
    await store.close();
    await peers.ask({ op: 'stop' } satisfies PeerQuestion);
    rmSync(dir, { recursive: true, force: true });
  }
}

const HOSTILE_TOPIC = 'zanzibarite lattice';
const HOSTILE_LENGTH = 20_000;

/** Five papers on HOSTILE_TOPIC whose abstracts are 20,000 characters built to make a text pass slow. */
function hostilePapers(): Paper[] {
  const run = (unit: string) => unit.repeat(Math.ceil(HOSTILE_LENGTH / unit.length)).slice(0, HOSTILE_LENGTH - 40);
  return ['x', '.', 'A. ', 'a-', '['].map((unit, i) => ({
    id: `hostile-${i}`,
    title: `Zanzibarite lattice study ${i}`,
    abstract: `Zanzibarite lattice results. ${run(unit)}`,
    authors: ['Mallory'],
    upvotes: 0,
    links: {},
    keywords: [],
    source: 'bench',
  }));
}

/**
 * One `/papers` that finds the five hostile papers, then `trickle` other people's `/papers`, one
 * every 20 ms while it is answered; reports the trickle's acks.
 */
async function hostileRun(
  url: string,
  respondTo: (id: string) => string,
  trickle: number,
  peers: Thread,
): Promise<Array<[string, string]>> {
  const hostile = slashCommand({ text: HOSTILE_TOPIC, channel_id: 'CH', user_id: 'UH', response_url: respondTo('CH') });
  const others = topics(trickle).map((text, i) =>
    slashCommand({ text, channel_id: `CT${i}`, user_id: `UT${i % 25}`, response_url: respondTo(`CT${i}`) }),
  );
  await peers.ask({ op: 'mark' } satisfies PeerQuestion);
  const acks = await load(url, [hostile, ...others], () => {}, 20);
  await peers.ask({ op: 'wait-answers', count: trickle + 1 } satisfies PeerQuestion);
  const ms = acks.slice(1).map((ack) => ack.ms);
  return [
    ['hostile: /papers over five 20k-char abstracts', `then ${trickle} /papers, one every 20 ms`],
    ['hostile: acks not 200', String(acks.filter((ack) => ack.status !== 200).length)],
    ['hostile: ack p50', `${percentile(ms, 50).toFixed(1)} ms`],
    ['hostile: ack p99', `${percentile(ms, 99).toFixed(1)} ms (target <= 200)`],
    ['hostile: ack max', `${Math.max(...ms).toFixed(1)} ms`],
  ];
}

/**
 * The load generator: says "ready", waits for "go", sends every request at once (or one every
 * `spacingMs`), and posts back each one's status and time to response.
 */
async function generateLoad(url: string, requests: SlackRequest[], spacingMs?: number): Promise<void> {
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
  const pending: Array<Promise<LoadResult>> = [];
  for (const slackRequest of requests) {
    pending.push(send(slackRequest));
    if (spacingMs) await new Promise((resolve) => setTimeout(resolve, spacingMs));
  }
  const results = await Promise.all(pending);
  agent.destroy();
  parentPort!.postMessage(results);
  parentPort!.close();
}

/** The fake Slack Web API and the LLM test server, answering the main thread's questions. */
async function servePeers(llmMs: number): Promise<void> {
  const slack = await new FakeSlack().start();
  const llm = await startOpenAiServer({ firstTokenDelayMs: llmMs });
  const privateReplies = (calls: SlackCall[]) => calls.filter((call) => call.method === 'response_url').length;
  let mark = 0; // the calls made before the load being measured
  const answer = async (question: PeerQuestion): Promise<unknown> => {
    switch (question.op) {
      case 'wait-private-replies':
        await slack.waitFor((calls) => privateReplies(calls) >= question.count);
        mark = slack.calls.length;
        return true;
      case 'mark':
        mark = slack.calls.length;
        return true;
      case 'wait-answers': {
        const finished = finishedAnswers(mark);
        return slack.waitFor((calls) => finished(calls) >= question.count, 180_000);
      }
      case 'counts':
        return {
          postMessages: slack.callsOf('chat.postMessage').length,
          updates: slack.callsOf('chat.update').length,
          privateReplies: privateReplies(slack.calls),
          llmRequests: llm.requests.length,
        } satisfies PeerCounts;
      case 'stop':
        await llm.close();
        await slack.stop();
        return true;
    }
  };
  parentPort!.on('message', (question: PeerQuestion) => {
    void answer(question).then((reply) => {
      parentPort!.postMessage(reply);
      if (question.op === 'stop') parentPort!.close();
    });
  });
  parentPort!.postMessage({ apiUrl: slack.apiUrl, llmUrl: llm.baseURL, responseUrl: slack.responseUrl('') });
}

function runThread(role: Role): Promise<void> {
  return role.role === 'load' ? generateLoad(role.url, role.requests, role.spacingMs) : servePeers(role.llmMs);
}

await (isMainThread ? main() : runThread(workerData as Role));
