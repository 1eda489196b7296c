import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Subscription } from '../../src/digest/subscription.js';
import { loadCorpus } from '../../src/papers/corpus.js';
import { seedTrending } from '../../src/papers/library.js';
import { DEFAULT_CORPUS, projectRoot } from '../../src/paths.js';
import { BOT_TOKEN, FakeSlack, TEAM_ID } from '../../src/fake-slack/web-api.js';
import { openStore } from '../../src/store/open.js';

/*
 * Real OS processes, `paperboy digest --post`, against one database: the claims, not luck or timing,
 * keep each channel to one digest, also when a process dies between claiming and recording its post.
 */

const CLI = join(projectRoot, 'dist', 'src', 'cli.js');
/** A Monday: the newest closed Daily Papers day is the Sunday; the seed's list is the Friday's. */
const DATE = '2025-03-31';
const CHANNELS = ['C0101', 'C0102', 'C0103', 'C0104', 'C0105', 'C0106'];
/** Short, so that the survivor may take over soon after the crash. */
const LEASE_MS = 1500;
/** Each test starts three or four Node processes, slow on a busy machine. */
const TIMEOUT_MS = 60_000;

const url = process.env.PAPERBOY_TEST_DATABASE_URL;
const HOW_TO = 'start one (Debian or Ubuntu, as root or with sudo) with: eval "$(bash .ci/postgres.sh)"';
if (!url && process.env.CI) {
  throw new Error(`PAPERBOY_TEST_DATABASE_URL is not set, and CI must test digests from two processes on Postgres: ${HOW_TO}`);
}
if (!url) console.warn(`Skipping the two-process digest tests on Postgres: PAPERBOY_TEST_DATABASE_URL is not set; ${HOW_TO}`);

interface Database {
  /** The environment that points a process at a fresh, empty database. */
  fresh(): Promise<Record<string, string>>;
  dispose(): Promise<void>;
}

function sqliteDatabases(): Database {
  const dir = mkdtempSync(join(tmpdir(), 'paperboy-two-'));
  let n = 0;
  return {
    fresh: async () => ({ PAPERBOY_DB: join(dir, `db-${++n}.db`) }),
    dispose: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

function postgresDatabases(databaseUrl: string): Database {
  const admin = new pg.Pool({ connectionString: databaseUrl, max: 1 });
  const schemas: string[] = [];
  return {
    fresh: async () => {
      const schema = `paperboy_two_${randomBytes(6).toString('hex')}`;
      schemas.push(schema);
      return { DATABASE_URL: databaseUrl, PAPERBOY_DB_SCHEMA: schema };
    },
    dispose: async () => {
      for (const schema of schemas) await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.end();
    },
  };
}

const stores: Array<[string, () => Database, boolean]> = [
  ['Postgres', () => postgresDatabases(url!), !url],
  ['SQLite (one file)', sqliteDatabases, false],
];

describe.each(stores)('digests from two processes on %s', (_, databases, skip) => {
  let slack: FakeSlack;
  let database: Database;
  let env: Record<string, string>;
  const children: ChildProcess[] = [];

  beforeAll(() => {
    if (!skip) database = databases();
  });
  afterAll(async () => {
    await database?.dispose();
  });
  beforeEach(async () => {
    if (skip) return;
    slack = await new FakeSlack().start();
    env = await database.fresh();
    await subscribeChannels(env);
  });
  afterEach(async () => {
    for (const child of children.splice(0)) child.kill('SIGKILL');
    await slack?.stop();
  });

  /** Every channel's top-level messages in the fake Slack: the digests posted. */
  const digestsIn = (channel: string) => slack.channelMessages(channel).filter((message) => message.bot_id);

  function paperboy(apiUrl = slack.apiUrl) {
    const child = spawn(process.execPath, [CLI, 'digest', '--date', DATE, '--post'], {
      env: {
        PATH: process.env.PATH ?? '',
        SLACK_BOT_TOKEN: BOT_TOKEN,
        SLACK_API_URL: apiUrl,
        PAPERBOY_DIGEST_LEASE_MS: String(LEASE_MS),
        // Nothing to fetch (the weekend is recorded as closed); were it asked, it fails at once.
        HF_ENDPOINT: 'http://127.0.0.1:9',
        ...env,
      },
    });
    children.push(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) =>
      child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })),
    );
    return { child, exit };
  }

  it.skipIf(skip)(
    'posts exactly one digest per channel when two processes post at once',
    async () => {
      const runs = await Promise.all([paperboy().exit, paperboy().exit]);
      for (const run of runs) {
        expect(run.stderr).toBe('');
        expect(run.code).toBe(0);
        // Each process accounts for every channel: posted it, or saw the other one post it.
        expect(outcomes(run.stdout).size).toBe(CHANNELS.length);
      }
      for (const channel of CHANNELS) {
        expect(digestsIn(channel)).toHaveLength(1);
        const posters = runs.filter((run) => outcomes(run.stdout).get(channel) === 'posted');
        expect(posters).toHaveLength(1);
      }
    },
    TIMEOUT_MS,
  );

  it.skipIf(skip)(
    'a process killed after claiming posts nothing; after its lease the survivor posts each digest once',
    async () => {
      const hang = await startSlackProxy(slack, 'drop');
      try {
        const doomed = paperboy(hang.apiUrl);
        await until(() => hang.posts === CHANNELS.length, doomed.child);
        doomed.child.kill('SIGKILL');
        expect((await doomed.exit).signal).toBe('SIGKILL');

        // Its post never reached Slack. Until its lease ends (or its post times out, at half the
        // lease, and it gives the claim up as "maybe posted") another process finds the claim held;
        // after, it looks in the channel, finds nothing, and posts.
        const early = await paperboy().exit;
        for (const said of outcomes(early.stdout).values()) expect(['being posted by another process', 'posted']).toContain(said);
        await sleep(LEASE_MS);
        const survivor = await paperboy().exit;
        expect(survivor.code).toBe(0);
        for (const channel of CHANNELS) {
          expect(digestsIn(channel)).toHaveLength(1);
          expect(
            [outcomes(early.stdout).get(channel), outcomes(survivor.stdout).get(channel)].filter((said) => said === 'posted'),
          ).toHaveLength(1);
        }
      } finally {
        await hang.close();
      }
    },
    TIMEOUT_MS,
  );

  it.skipIf(skip)(
    'a process killed after posting but before recording: the survivor adopts its posts, never posts twice',
    async () => {
      const lost = await startSlackProxy(slack, 'withhold-reply');
      try {
        const doomed = paperboy(lost.apiUrl);
        await until(() => CHANNELS.every((channel) => digestsIn(channel).length === 1), doomed.child);
        doomed.child.kill('SIGKILL');
        await doomed.exit;

        await sleep(LEASE_MS);
        const survivor = await paperboy().exit;
        expect(survivor.code).toBe(0);
        expect([...outcomes(survivor.stdout).values()]).toEqual(CHANNELS.map(() => expect.stringMatching(/^found in the channel/)));
        for (const channel of CHANNELS) expect(digestsIn(channel)).toHaveLength(1);

        const later = await paperboy().exit;
        expect([...outcomes(later.stdout).values()]).toEqual(CHANNELS.map(() => 'already posted'));
      } finally {
        await lost.close();
      }
    },
    TIMEOUT_MS,
  );

  /** Two processes at once, then a third run: every channel ends with one digest, and nothing more is posted. */
  async function rerunUntilDone(): Promise<void> {
    const [first, second] = await Promise.all([paperboy().exit, paperboy().exit]);
    for (const run of [first, second]) expect(run.code, run.stderr).toBe(0);
    for (const channel of CHANNELS) {
      expect(digestsIn(channel), channel).toHaveLength(1);
      const said = [first, second].map((run) => outcomes(run.stdout).get(channel));
      expect(said.filter((outcome) => outcome === 'posted' || outcome?.startsWith('found in the channel'))).toHaveLength(
        said.includes('posted') || said.some((outcome) => outcome?.startsWith('found')) ? 1 : 0,
      );
    }
    const last = await paperboy().exit;
    expect([...outcomes(last.stdout).values()]).toEqual(CHANNELS.map(() => 'already posted'));
    for (const channel of CHANNELS) expect(digestsIn(channel)).toHaveLength(1);
  }

  it.skipIf(skip)(
    '(a) Slack accepts each post and drops the connection before answering: maybe posted, found, never posted again',
    async () => {
      slack.failNext('chat.postMessage', { status: 'accepted-then-dropped' }, CHANNELS.length);
      const first = await paperboy().exit;
      expect(first.code).toBe(1);
      expect([...outcomes(first.stdout).values()]).toEqual(CHANNELS.map(() => 'failed; the next run retries'));
      expect(first.stderr).toContain('digest may have been posted');
      for (const channel of CHANNELS) expect(digestsIn(channel)).toHaveLength(1);
      await rerunUntilDone();
      // No client retry re-sent a post Slack had accepted.
      expect(slack.callsOf('chat.postMessage')).toHaveLength(CHANNELS.length);
    },
    TIMEOUT_MS,
  );

  it.skipIf(skip)(
    '(b) conversations.history fails once during recovery: the claim stays "maybe posted" and the next run finds the post',
    async () => {
      slack.failNext('chat.postMessage', { status: 'accepted-then-dropped' }, CHANNELS.length);
      await paperboy().exit;
      slack.failNext('conversations.history', { status: 503 });
      const recovering = await paperboy().exit;
      const said = [...outcomes(recovering.stdout).values()];
      expect(said.filter((outcome) => outcome === 'failed; the next run retries')).toHaveLength(1);
      expect(said.filter((outcome) => outcome.startsWith('found in the channel'))).toHaveLength(CHANNELS.length - 1);
      await rerunUntilDone();
      expect(slack.callsOf('chat.postMessage')).toHaveLength(CHANNELS.length);
    },
    TIMEOUT_MS,
  );

  it.skipIf(skip)(
    '(c) Slack answers 429 with a Retry-After longer than the lease: the waiting process keeps its claim, the other never posts',
    async () => {
      slack.failNext('chat.postMessage', { status: 429, retryAfter: 3 }, 2);
      const runs = await Promise.all([paperboy().exit, paperboy().exit, paperboy().exit]);
      for (const run of runs) expect(run.code, run.stderr).toBe(0);
      for (const channel of CHANNELS) {
        expect(digestsIn(channel), channel).toHaveLength(1);
        expect(runs.filter((run) => outcomes(run.stdout).get(channel) === 'posted')).toHaveLength(1);
      }
      expect(slack.callsOf('chat.postMessage').filter((call) => call.status === 429)).toHaveLength(2);
      const last = await paperboy().exit;
      expect([...outcomes(last.stdout).values()]).toEqual(CHANNELS.map(() => 'already posted'));
    },
    TIMEOUT_MS,
  );

  it.skipIf(skip)(
    '(d) 1,000 newer messages in each channel: recovery pages back to the claim and finds the earlier post',
    async () => {
      slack.failNext('chat.postMessage', { status: 'accepted-then-dropped' }, CHANNELS.length);
      await paperboy().exit;
      for (const channel of CHANNELS) slack.addChannelChatter(channel, 1000);
      await rerunUntilDone();
      expect(slack.callsOf('chat.postMessage')).toHaveLength(CHANNELS.length);
      // Each recovery read more than one page (999 is the largest).
      expect(slack.callsOf('conversations.history').some((call) => call.args.cursor)).toBe(true);
    },
    TIMEOUT_MS,
  );
});

async function subscribeChannels(env: Record<string, string>): Promise<void> {
  const store = await openStore(env);
  try {
    await seedTrending(store, loadCorpus(DEFAULT_CORPUS).papers);
    // The weekend's lists, fetched after each day ended, were empty (as the refresher records them).
    await store.markDayClosed('2025-03-28', 68);
    await store.markDayClosed('2025-03-29', 0);
    await store.markDayClosed('2025-03-30', 0);
    for (const channelId of CHANNELS) await store.saveSubscription(subscription(channelId));
  } finally {
    await store.close();
  }
}

function subscription(channelId: string): Subscription {
  return { teamId: TEAM_ID, channelId, time: '09:00', timeZone: 'UTC', days: 'weekdays', topics: '', createdBy: 'U0001' };
}

/** Channel -> what the run printed for it. */
function outcomes(stdout: string): Map<string, string> {
  const lines = stdout.trim().split('\n').filter(Boolean);
  return new Map(lines.map((line) => /^T\w+\/(C\w+): (.+)$/.exec(line)!.slice(1) as [string, string]));
}

/**
 * Between a process and the fake Slack: passes every call through, except that chat.postMessage
 * never gets an answer, as for a process that dies at that moment. 'drop': the post never reaches
 * Slack; 'withhold-reply': it does, and only the answer is lost.
 */
async function startSlackProxy(slack: FakeSlack, mode: 'drop' | 'withhold-reply') {
  const sockets = new Set<Socket>();
  const state = { posts: 0 };
  const server: Server = createServer((req, res) => void relay(req, res));
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  async function relay(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const isPost = req.url?.endsWith('/chat.postMessage') ?? false;
    if (isPost) state.posts++;
    if (isPost && mode === 'drop') return;
    const answer = await fetch(new URL(req.url!, slack.origin), {
      method: req.method!,
      headers: { 'content-type': String(req.headers['content-type'] ?? ''), authorization: String(req.headers.authorization ?? '') },
      body: Buffer.concat(chunks),
    });
    const body = await answer.text();
    if (isPost) return;
    res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' }).end(body);
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    apiUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`,
    get posts() {
      return state.posts;
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Waits for `condition` while `child` runs. */
async function until(condition: () => boolean, child: ChildProcess, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (child.exitCode !== null) throw new Error(`the process exited (${child.exitCode}) before the condition was met`);
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(20);
  }
}
