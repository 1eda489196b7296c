import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LogLevel, webApi } from '@slack/bolt';
import { createAnswerer } from '../../src/answer/index.js';
import type { Answerer } from '../../src/answer/types.js';
import type { LlmConfig } from '../../src/answer/config.js';
import { silentLogger, type Logger } from '../../src/lib/logger.js';
import { createApp } from '../../src/app.js';
import { loadCorpus } from '../../src/papers/corpus.js';
import type { Paper } from '../../src/papers/paper.js';
import { DEFAULT_CORPUS } from '../../src/paths.js';
import { buildIndex } from '../../src/search/index.js';
import type { PaperIndex } from '../../src/search/types.js';
import type { ClientFor } from '../../src/slack/clients.js';
import { DEFAULT_TIMING, type AppDeps, type Timing } from '../../src/slack/deps.js';
import type { AppStore } from '../../src/store/open.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import { BOT_TOKEN, FakeSlack } from '../../src/fake-slack/web-api.js';
import { deliver, SIGNING_SECRET, type Delivery, type SlackRequest } from '../../src/fake-slack/signed-requests.js';
import { SocketModeServer } from './socket-mode-server.js';

export const APP_TOKEN = 'xapp-1-A0001-test';

export interface TestAppOptions {
  /** An OpenAI-compatible server's base URL; without one, answers are extractive. */
  llmBaseURL?: string;
  llm?: Partial<LlmConfig>;
  timing?: Partial<Timing>;
  clientOptions?: webApi.WebClientOptions;
  /** Papers to index besides the seed corpus. */
  extraPapers?: Paper[];
  /** The store's clock (claims' leases, dates of records). */
  now?: () => Date;
  freshness?: AppDeps['freshness'];
  /** Socket Mode (an app-level token, a loopback Socket Mode endpoint) instead of HTTP. */
  socketMode?: boolean;
  /** A store of the test's own (e.g. Postgres) instead of a fresh SQLite file; the test closes it. */
  store?: AppStore;
  /** The app's logger; silent by default. */
  logger?: Logger;
}

export interface TestApp {
  slack: FakeSlack;
  store: AppStore;
  index: PaperIndex;
  answerer: Answerer;
  /** A Web API client per workspace, as the runtime gives the digest publisher; retries soon after a 429's Retry-After. */
  clientFor: ClientFor;
  /** POSTs a request to the app's /slack/events, as Slack would (HTTP mode). */
  send(request: SlackRequest): Promise<Delivery>;
  /** Slack's Socket Mode endpoint (Socket Mode). */
  sockets?: SocketModeServer;
  close(): Promise<void>;
}

let sharedIndex: PaperIndex | undefined;

/** The seed corpus's index, built once per test file. */
export function seedIndex(): PaperIndex {
  sharedIndex ??= buildIndex(loadCorpus(DEFAULT_CORPUS).papers);
  return sharedIndex;
}

/**
 * The real app in HTTP mode on a loopback port (or in Socket Mode), with a real SQLite file store,
 * the real index and answerer, talking to a fake Slack Web API.
 */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const slack = await new FakeSlack().start();
  const dir = mkdtempSync(join(tmpdir(), 'paperboy-slack-'));
  const store = options.store ?? openSqliteStore(join(dir, 'paperboy.db'), options.now ? { now: options.now } : undefined);
  const index = options.extraPapers ? buildIndex([...loadCorpus(DEFAULT_CORPUS).papers, ...options.extraPapers]) : seedIndex();
  const config: LlmConfig | undefined = options.llmBaseURL
    ? {
        baseURL: options.llmBaseURL,
        apiKey: 'test-key',
        model: 'test-model',
        timeoutMs: 10_000,
        maxRetries: 0,
        maxPapers: 8,
        maxPromptTokens: 6_000,
        maxOutputTokens: 700,
        ...options.llm,
      }
    : undefined;
  const answerer = createAnswerer({ ...(config ? { config } : {}), cache: store });
  const deps: AppDeps = {
    index,
    answerer,
    store,
    logger: options.logger ?? silentLogger,
    timing: { ...DEFAULT_TIMING, updateIntervalMs: 200, ...options.timing },
    ...(options.freshness ? { freshness: options.freshness } : {}),
  };
  const sockets = options.socketMode ? await SocketModeServer.start() : undefined;
  if (sockets) slack.enableSocketMode(APP_TOKEN, sockets.url);
  const app = createApp(
    sockets
      ? { mode: 'socket', botToken: BOT_TOKEN, appToken: APP_TOKEN, apiUrl: slack.apiUrl }
      : { mode: 'http', botToken: BOT_TOKEN, signingSecret: SIGNING_SECRET, port: 0, apiUrl: slack.apiUrl },
    deps,
    { logLevel: LogLevel.ERROR, ...(options.clientOptions ? { clientOptions: options.clientOptions } : {}) },
  );
  await app.init();
  let url: string | undefined;
  if (sockets) await app.start();
  else url = httpUrl((await app.start({ port: 0, host: '127.0.0.1' })) as Server);
  return {
    slack,
    store,
    index,
    answerer,
    clientFor: digestClients(slack),
    send: (request) => {
      if (!url) throw new Error('test app: in Socket Mode, deliver through `sockets`');
      return deliver(url, request);
    },
    ...(sockets ? { sockets } : {}),
    close: async () => {
      await app.stop();
      await sockets?.close();
      if (!options.store) await store.close();
      await slack.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function httpUrl(server: Server): string {
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
}

/** One client per workspace, with the default retry count but short back-offs, so that tests wait out little more than Retry-After. */
function digestClients(slack: FakeSlack): ClientFor {
  const clients = new Map<string, webApi.WebClient>();
  return async (teamId) => {
    let client = clients.get(teamId);
    if (!client) {
      const token = slack.tokenOf(teamId);
      if (!token) throw new Error(`fake Slack: no workspace ${teamId}`);
      client = new webApi.WebClient(token, {
        slackApiUrl: slack.apiUrl,
        logLevel: webApi.LogLevel.ERROR,
        retryConfig: { retries: 10, factor: 1, minTimeout: 10, maxTimeout: 50 },
      });
      clients.set(teamId, client);
    }
    return client;
  };
}
