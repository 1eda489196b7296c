/**
 * Morning digests at scale: `--channels` subscribed channels across `--workspaces` workspaces (one
 * bot token each), a fake Slack enforcing 1 message/s per channel and a per-workspace budget
 * (`--per-minute`, bursts of `--burst`) with 429 + Retry-After, a real SQLite store in a temp file,
 * the seed corpus's index and trending day, and the real answerer against the loopback LLM test
 * server (each TL;DR an LLM call of `--llm-ms`). `runDueDigests` runs until every due digest is
 * posted; then two processes (two owners, two store connections to one file) run it at once.
 * Reports the time to post them all against the floor the rate limits allow, messages lost and
 * duplicated (both must be 0), and LLM calls (must equal the distinct papers posted).
 *
 * `runDueDigests` takes the due digests in workspace order, and a workspace's posts are bounded by
 * its rate limit, so the concurrency must cover every workspace at once (default: all channels) for
 * the workspaces to post side by side. The two processes run with less (`--race-concurrency`) so that
 * each, finding the other's claims, moves on to claim the next: they share the work and contend.
 *
 * Then the tick at scale: `--subscriptions` (50,000) subscriptions in every IANA zone the runtime
 * knows, `--due` (10,000) of them due at the same minute, posted through the fake Slack (no rate
 * limits: this part measures the bot) by the real publisher, with the store's calls counted and the
 * event loop watched (the longest it was blocked); then the next tick, once every due one is served.
 * Usage: node dist/bench/digest.js [--channels 1000] [--workspaces 10] [--per-minute 300] [--burst 20]
 *   [--llm-ms 300] [--concurrency 1000] [--race-concurrency 250] [--subscriptions 50000] [--due 10000]
 *   [--only-tick]
 */
import { benchLlmConfig } from './lib/llm-config.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { webApi } from '@slack/bolt';
import { createAnswerer } from '../src/answer/index.js';
import { silentLogger } from '../src/lib/logger.js';
import type { DeliveryOutcome, DigestDeps } from '../src/digest/deliver.js';
import { localMoment } from '../src/digest/schedule.js';
import { dueDigests, interleaveWorkspaces, runDueDigests } from '../src/digest/scheduler.js';
import type { Subscription } from '../src/digest/subscription.js';
import { loadCorpus } from '../src/papers/corpus.js';
import { DEFAULT_CORPUS } from '../src/paths.js';
import { floorMs, type RateLimits } from '../src/fake-slack/rate-limits.js';
import { FakeSlack } from '../src/fake-slack/web-api.js';
import { buildIndex } from '../src/search/index.js';
import type { PaperIndex } from '../src/search/types.js';
import { createSlackDigestPublisher, DIGEST_EVENT_TYPE } from '../src/slack/digest-publisher.js';
import { openSqliteStore, type SqliteStore } from '../src/store/sqlite.js';
import { plausibleReply, startOpenAiServer, type OpenAiTestServer } from '../test/support/openai-server.js';

const ZONES = ['Europe/Paris', 'America/New_York', 'Asia/Tokyo', 'UTC', 'Australia/Sydney'];
/** Most channels take everything trending; the others filter by topic, so digests differ. */
const TOPICS = ['', '', '', 'distillation', 'video generation', 'reasoning', 'reinforcement learning', 'agents', 'retrieval', 'diffusion'];
const MAX_ROUNDS = 5;
/** The seed corpus's Daily Papers day, and the next morning, when it is the newest closed day. */
const SEED_DAY = '2025-03-28';
const NOW = new Date('2025-03-29T10:00:00Z');

function numberFlag(name: string, fallback: number): number {
  const at = process.argv.indexOf(name);
  const value = at >= 0 ? Number(process.argv[at + 1]) : fallback;
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} expects a number, got ${process.argv[at + 1]}`);
  return value;
}

interface World {
  slack: FakeSlack;
  llm: OpenAiTestServer;
  dir: string;
  index: PaperIndex;
  teams: string[];
  subscriptions: Subscription[];
}

interface BenchProcess {
  deps: DigestDeps;
  store: SqliteStore;
}

/** Subscriptions spread over the workspaces, zones and topics, each due at `now` in its own zone. */
function subscriptionsAt(now: Date, teams: string[], channels: number): Subscription[] {
  return Array.from({ length: channels }, (_, i) => {
    const timeZone = ZONES[i % ZONES.length]!;
    return {
      teamId: teams[i % teams.length]!,
      channelId: `C${String(i).padStart(5, '0')}`,
      time: localMoment(now, timeZone).time,
      timeZone,
      days: 'daily',
      topics: TOPICS[i % TOPICS.length]!,
      createdBy: 'U0001',
    };
  });
}

async function startWorld(now: Date, limits: RateLimits, llmMs: number): Promise<World> {
  const teams = Array.from({ length: numberFlag('--workspaces', 10) }, (_, i) => `T${String(i).padStart(3, '0')}`);
  const slack = await new FakeSlack().start();
  for (const team of teams) slack.addWorkspace(team);
  slack.limitRates(limits);
  const llm = await startOpenAiServer({
    respond: (request) => {
      const reply = plausibleReply(request);
      return reply.type === 'completion' ? { ...reply, delayMs: llmMs } : reply;
    },
  });
  const papers = loadCorpus(DEFAULT_CORPUS).papers;
  const dir = mkdtempSync(join(tmpdir(), 'paperboy-digest-bench-'));
  const subscriptions = subscriptionsAt(now, teams, numberFlag('--channels', 1000));
  const store = openSqliteStore(join(dir, 'paperboy.db'));
  await store.upsertPapers(papers);
  await store.markDayClosed(SEED_DAY, papers.length);
  for (const subscription of subscriptions) await store.saveSubscription(subscription);
  await store.close();
  return { slack, llm, dir, index: buildIndex(papers), teams, subscriptions };
}

/** One app process: its own store connection, answerer, Web API clients (the SDK's default retries) and publisher. */
function startProcess(world: World, owner: string): BenchProcess {
  const store = openSqliteStore(join(world.dir, 'paperboy.db'));
  const config = benchLlmConfig(world.llm.baseURL, 300);
  const answerer = createAnswerer({ config, cache: store });
  const clients = new Map(
    world.teams.map((team) => [
      team,
      new webApi.WebClient(world.slack.tokenOf(team), { slackApiUrl: world.slack.apiUrl, logLevel: webApi.LogLevel.ERROR }),
    ]),
  );
  const publisher = createSlackDigestPublisher({ clientFor: async (team) => clients.get(team)!, logger: silentLogger });
  return { store, deps: { store, index: world.index, answerer, publisher, owner, now: () => NOW } };
}

type Outcomes = Partial<Record<DeliveryOutcome, number>>;

/** Runs every process's tick at once, again while any delivery failed (its claim was given back). */
async function deliverAll(
  processes: BenchProcess[],
  now: Date,
  concurrency: number,
): Promise<{ ms: number; rounds: number; outcomes: Outcomes[] }> {
  const outcomes: Outcomes[] = processes.map(() => ({}));
  const started = performance.now();
  let rounds = 0;
  for (let failed = true; failed && rounds < MAX_ROUNDS; rounds++) {
    const reports = await Promise.all(processes.map((process) => runDueDigests(now, process.deps, concurrency)));
    reports.forEach((report, i) => {
      for (const [outcome, count] of Object.entries(report.outcomes))
        outcomes[i]![outcome as DeliveryOutcome] = (outcomes[i]![outcome as DeliveryOutcome] ?? 0) + count;
    });
    failed = reports.some((report) => (report.outcomes.failed ?? 0) > 0);
  }
  return { ms: performance.now() - started, rounds, outcomes };
}

interface Tally {
  withDigest: number;
  lost: number;
  duplicates: number;
  distinctPapers: number;
  postsPerTeam: Map<string, number>;
}

/** What landed in Slack: digests per channel (by their metadata), against what should have. */
function tally(world: World, nothingNew: number): Tally {
  const postsPerTeam = new Map<string, number>();
  const papers = new Set<string>();
  let withDigest = 0;
  let duplicates = 0;
  for (const { teamId, channelId } of world.subscriptions) {
    const digests = world.slack
      .channelMessages(channelId)
      .filter((message) => (message.metadata as { event_type?: string } | undefined)?.event_type === DIGEST_EVENT_TYPE);
    if (digests.length) withDigest++;
    duplicates += Math.max(0, digests.length - 1);
    postsPerTeam.set(teamId, (postsPerTeam.get(teamId) ?? 0) + digests.length);
    for (const digest of digests) {
      const ids = JSON.parse(String((digest.metadata as { event_payload: { paper_ids: string } }).event_payload.paper_ids)) as string[];
      for (const id of ids) papers.add(id);
    }
  }
  return { withDigest, lost: world.subscriptions.length - nothingNew - withDigest, duplicates, distinctPapers: papers.size, postsPerTeam };
}

function floorOf(limits: RateLimits, postsPerTeam: Map<string, number>): number {
  return Math.max(0, ...[...postsPerTeam.values()].map((posts) => floorMs(limits, posts)));
}

async function stopWorld(world: World, processes: BenchProcess[]): Promise<void> {
  for (const process of processes) await process.store.close();
  await world.slack.stop();
  await world.llm.close();
  rmSync(world.dir, { recursive: true, force: true });
}

function printTable(title: string, rows: Array<[string, string]>): void {
  const width = Math.max(...rows.map(([label]) => label.length));
  console.log(`\n${title}`);
  for (const [label, value] of rows) console.log(`  ${label.padEnd(width)}  ${value}`);
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const sum = (outcomes: Outcomes, ...keys: DeliveryOutcome[]) => keys.reduce((total, key) => total + (outcomes[key] ?? 0), 0);

async function main(): Promise<void> {
  const limits: RateLimits = { channelPerSecond: 1, teamPerMinute: numberFlag('--per-minute', 300), teamBurst: numberFlag('--burst', 20) };
  const llmMs = numberFlag('--llm-ms', 300);
  const concurrency = numberFlag('--concurrency', numberFlag('--channels', 1000));
  const raceConcurrency = numberFlag('--race-concurrency', Math.ceil(concurrency / 4));
  const now = NOW;
  let failures = 0;
  if (process.argv.includes('--only-tick')) {
    failures += await tickAtScale();
    if (failures) process.exitCode = 1;
    return;
  }

  // One process delivers everything.
  const world = await startWorld(now, limits, llmMs);
  const single = startProcess(world, 'process-a');
  const run = await deliverAll([single], now, concurrency);
  const outcomes = run.outcomes[0]!;
  const nothingNew = sum(outcomes, 'nothing-new');
  const counted = tally(world, nothingNew);
  const posts = world.slack.callsOf('chat.postMessage');
  const limited = posts.filter((call) => call.status === 429).length;
  const llmCalls = world.llm.requests.length;
  failures += counted.lost + counted.duplicates + (llmCalls === counted.distinctPapers ? 0 : 1);
  printTable(
    `digest bench: ${world.subscriptions.length} channels, ${world.teams.length} workspaces, one process (concurrency ${concurrency})`,
    [
      ['rate limits', `1 post/s per channel; ${limits.teamPerMinute} posts/min per workspace, bursts of ${limits.teamBurst}`],
      ['digests due', String(world.subscriptions.length)],
      ['posted / nothing new on topic', `${counted.withDigest} / ${nothingNew}`],
      ['time to post them all', seconds(run.ms)],
      [
        'floor the rate limits allow',
        `${seconds(floorOf(limits, counted.postsPerTeam))} (busiest workspace: ${Math.max(...counted.postsPerTeam.values())} posts)`,
      ],
      ['chat.postMessage calls / 429s', `${posts.length} / ${limited}`],
      ['runDueDigests rounds', String(run.rounds)],
      ['messages lost', `${counted.lost} (must be 0)`],
      ['duplicates', `${counted.duplicates} (must be 0)`],
      [
        'LLM calls / distinct papers',
        `${llmCalls} / ${counted.distinctPapers} (must be equal; channels x papers would be ${counted.withDigest * 5})`,
      ],
      ['outcomes', JSON.stringify(outcomes)],
    ],
  );
  await stopWorld(world, [single]);

  // Two processes, two owners, one store file: the claims must keep every digest to one post.
  const shared = await startWorld(now, limits, llmMs);
  const pair = [startProcess(shared, 'process-a'), startProcess(shared, 'process-b')];
  const race = await deliverAll(pair, now, raceConcurrency);
  const raceNothingNew = race.outcomes.reduce((total, o) => total + sum(o, 'nothing-new'), 0);
  const raced = tally(shared, raceNothingNew);
  failures += raced.lost + raced.duplicates;
  printTable(`two processes at once over the same store (concurrency ${raceConcurrency} each)`, [
    ['time to post them all', `${seconds(race.ms)} (floor ${seconds(floorOf(limits, raced.postsPerTeam))})`],
    ...race.outcomes.map((o, i): [string, string] => [
      `process ${'AB'[i]}`,
      `posted ${sum(o, 'posted', 'adopted')}, found held by the other ${sum(o, 'held-elsewhere')}, already posted ${sum(o, 'already-posted')}`,
    ]),
    ['messages lost', `${raced.lost} (must be 0)`],
    ['duplicates', `${raced.duplicates} (must be 0)`],
    [
      'LLM calls / distinct papers',
      `${shared.llm.requests.length} / ${raced.distinctPapers} (two processes: a paper both compose at once is asked twice)`,
    ],
  ]);
  await stopWorld(shared, pair);
  failures += await tickAtScale();
  if (failures) {
    console.error(`\n${failures} check(s) failed`);
    process.exitCode = 1;
  }
}

/** Counts each call of the store's methods by name: each is one round trip to the database (or more). */
function countingStore(store: SqliteStore): { store: SqliteStore; calls: Map<string, number>; reset(): void } {
  const calls = new Map<string, number>();
  const counted = new Proxy(store, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== 'function' || typeof prop !== 'string') return value;
      return (...args: unknown[]) => {
        calls.set(prop, (calls.get(prop) ?? 0) + 1);
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { store: counted, calls, reset: () => calls.clear() };
}

/**
 * How long the event loop was blocked at most: between two runs of a 5 ms timer, the longest wall
 * time, and the most CPU time this process used. On a shared machine the wall gap also counts time
 * the OS gave other processes; the CPU time in a gap is what the bot itself held the loop for.
 */
function blockProbe(): { stop(): Promise<{ wallMs: number; cpuMs: number }> } {
  let wallMs = 0;
  let cpuMs = 0;
  let last = performance.now();
  let lastCpu = process.cpuUsage();
  const timer = setInterval(() => {
    const now = performance.now();
    const cpu = process.cpuUsage(lastCpu);
    wallMs = Math.max(wallMs, now - last - 5);
    cpuMs = Math.max(cpuMs, (cpu.user + cpu.system) / 1000);
    last = now;
    lastCpu = process.cpuUsage();
  }, 5);
  return {
    async stop() {
      await new Promise((resolve) => setTimeout(resolve, 10));
      clearInterval(timer);
      return { wallMs: Math.max(0, wallMs), cpuMs };
    },
  };
}

const blocked = ({ wallMs, cpuMs }: { wallMs: number; cpuMs: number }) => `${cpuMs.toFixed(1)} ms of CPU (${wallMs.toFixed(1)} ms wall)`;

const SELECTING = ['subscriptionZones', 'subscriptionsDue', 'subscriptionsOf'];
const total = (calls: Map<string, number>) => [...calls.values()].reduce((a, b) => a + b, 0);
const ms = (value: number) => `${value.toFixed(1)} ms`;

/** 50,000 subscriptions, 10,000 due at once: the tick's cost in time, database calls and event-loop blocking. */
async function tickAtScale(): Promise<number> {
  const count = numberFlag('--subscriptions', 50_000);
  const dueCount = numberFlag('--due', 10_000);
  const zones = Intl.supportedValuesOf('timeZone');
  const teams = Array.from({ length: 100 }, (_, i) => `T${String(i).padStart(3, '0')}`);
  // The fake Slack runs in a thread of its own: its work is not the bot's, nor counted as blocking it.
  const slack = await slackThread(teams);
  const dir = mkdtempSync(join(tmpdir(), 'paperboy-digest-tick-'));
  const raw = openSqliteStore(join(dir, 'paperboy.db'));
  const papers = loadCorpus(DEFAULT_CORPUS).papers;
  await raw.upsertPapers(papers);
  await raw.markDayClosed(SEED_DAY, papers.length);
  for (let i = 0; i < count; i++) {
    const timeZone = zones[i % zones.length]!;
    const local = localMoment(NOW, timeZone).time;
    // Due now (0 to 2 h late), or 4 hours from now: outside the window.
    const [h, m] = local.split(':').map(Number);
    const offset = i < dueCount ? -(i % 120) : 240;
    const minutes = Math.max(i < dueCount ? 0 : -Infinity, h! * 60 + m! + offset);
    const at = ((minutes % 1440) + 1440) % 1440;
    const time = `${String(Math.floor(at / 60)).padStart(2, '0')}:${String(at % 60).padStart(2, '0')}`;
    await raw.saveSubscription({
      teamId: teams[i % teams.length]!,
      channelId: `C${String(i).padStart(6, '0')}`,
      time,
      timeZone,
      days: 'daily',
      topics: TOPICS[i % TOPICS.length]!,
      createdBy: 'U0001',
    });
  }
  const { store, calls, reset } = countingStore(raw);
  const clients = new Map(
    teams.map((team) => [team, new webApi.WebClient(slack.tokens[team], { slackApiUrl: slack.apiUrl, logLevel: webApi.LogLevel.ERROR })]),
  );
  const publisher = createSlackDigestPublisher({ clientFor: async (team) => clients.get(team)!, logger: silentLogger });
  const deps: DigestDeps = {
    store,
    index: buildIndex(papers),
    answerer: createAnswerer({ cache: store }),
    publisher,
    owner: 'bench',
    now: () => NOW,
  };

  // Selection alone: what every process pays every minute.
  let probe = blockProbe();
  let started = performance.now();
  const due = await dueDigests(NOW, deps);
  const selectMs = performance.now() - started;
  const selectCalls = total(calls);
  const selectBlock = await probe.stop();
  // The whole tick: selection and every delivery.
  reset();
  probe = blockProbe();
  started = performance.now();
  const report = await runDueDigests(NOW, deps, 64);
  const tickMs = performance.now() - started;
  const tickBlock = await probe.stop();
  const tickCalls = new Map(calls);
  // The next tick: every due channel served.
  reset();
  probe = blockProbe();
  started = performance.now();
  const next = await runDueDigests(new Date(NOW.getTime() + 60_000), deps, 64);
  const nextMs = performance.now() - started;
  const nextBlock = await probe.stop();
  const { posted, channels: channelsPosted } = await slack.ask<{ posted: number; channels: number }>('count');
  // The old round-robin over workspaces copied each queue on every add: O(due²). Now linear.
  const many = Array.from({ length: 40_000 }, (_, i) => ({ subscription: { teamId: teams[i % teams.length]! } }));
  started = performance.now();
  interleaveWorkspaces(many);
  const interleaveMs = performance.now() - started;
  const perDigest = [...tickCalls.entries()]
    .filter(([name]) => !SELECTING.includes(name))
    .map(([name, n]) => `${name} ${(n / Math.max(1, posted)).toFixed(n < posted ? 4 : 2)}`)
    .join(', ');
  printTable(
    `the tick at scale: ${count.toLocaleString('en')} subscriptions in ${zones.length} zones, ${dueCount.toLocaleString('en')} due at this minute (SQLite, fake Slack without rate limits)`,
    [
      [
        'due found',
        `${due.length.toLocaleString('en')} in ${ms(selectMs)}, ${selectCalls} database round trips; longest event-loop block ${blocked(selectBlock)}`,
      ],
      [
        'whole tick (select + deliver all)',
        `${(tickMs / 1000).toFixed(1)} s; posted ${posted.toLocaleString('en')} to ${channelsPosted.toLocaleString('en')} channels; outcomes ${JSON.stringify(report.outcomes)}`,
      ],
      ['longest event-loop block in the tick', blocked(tickBlock)],
      [
        'store calls per tick: selecting',
        `${SELECTING.reduce((n, name) => n + (tickCalls.get(name) ?? 0), 0)} (zones, due channels, then their subscriptions 2,000 at a time)`,
      ],
      ['store calls per digest posted', perDigest],
      [
        'next tick, every due channel served',
        `due ${next.due}, ${total(calls)} database round trips, ${ms(nextMs)}, longest block ${blocked(nextBlock)}`,
      ],
      ['interleaveWorkspaces, 40,000 due', ms(interleaveMs)],
    ],
  );
  await raw.close();
  await slack.ask('stop');
  rmSync(dir, { recursive: true, force: true });
  const duplicates = posted - channelsPosted;
  return (posted + (report.outcomes['nothing-new'] ?? 0) === dueCount ? 0 : 1) + duplicates + (next.due === 0 ? 0 : 1);
}

/** A fake Slack with these workspaces in a worker thread: its URL, the tokens, and questions it answers. */
async function slackThread(teams: string[]) {
  const worker = new Worker(new URL(import.meta.url), { workerData: { teams } });
  const next = <T>() =>
    new Promise<T>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
  const { apiUrl, tokens } = await next<{ apiUrl: string; tokens: Record<string, string> }>();
  return {
    apiUrl,
    tokens,
    ask<T>(question: 'count' | 'stop'): Promise<T> {
      const answer = next<T>();
      worker.postMessage(question);
      return answer;
    },
  };
}

/** The worker side: serves the fake Slack, answers how many digests landed, stops. */
async function serveSlack({ teams }: { teams: string[] }): Promise<void> {
  const slack = await new FakeSlack().start();
  const tokens = Object.fromEntries(teams.map((team) => [team, slack.addWorkspace(team)]));
  parentPort!.postMessage({ apiUrl: slack.apiUrl, tokens });
  parentPort!.on('message', async (question: 'count' | 'stop') => {
    if (question === 'count') {
      const ok = slack.callsOf('chat.postMessage').filter((call) => call.response?.ok);
      parentPort!.postMessage({ posted: ok.length, channels: new Set(ok.map((call) => call.args.channel)).size });
    } else {
      await slack.stop();
      parentPort!.postMessage('stopped');
      parentPort!.close();
    }
  });
}

await (isMainThread ? main() : serveSlack(workerData as { teams: string[] }));
