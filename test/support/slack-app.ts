import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LogLevel, type webApi } from '@slack/bolt';
import { createAnswerer } from '../../src/answer/index.js';
import type { LlmConfig } from '../../src/answer/config.js';
import { silentLogger } from '../../src/answer/logger.js';
import { createApp } from '../../src/app.js';
import { loadCorpus } from '../../src/papers/corpus.js';
import type { Paper } from '../../src/papers/paper.js';
import { DEFAULT_CORPUS } from '../../src/paths.js';
import { buildIndex } from '../../src/search/index.js';
import type { PaperIndex } from '../../src/search/types.js';
import { DEFAULT_TIMING, type AppDeps, type Timing } from '../../src/slack/deps.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import type { Store } from '../../src/store/store.js';
import { BOT_TOKEN, FakeSlack } from '../../src/sandbox/fake-slack.js';
import { deliver, SIGNING_SECRET, type Delivery, type SlackRequest } from '../../src/sandbox/slack-requests.js';

export interface TestAppOptions {
  /** An OpenAI-compatible server's base URL; without one, answers are extractive. */
  llmBaseURL?: string;
  llm?: Partial<LlmConfig>;
  timing?: Partial<Timing>;
  clientOptions?: webApi.WebClientOptions;
  /** Papers to index besides the seed corpus. */
  extraPapers?: Paper[];
}

export interface TestApp {
  slack: FakeSlack;
  store: Store;
  index: PaperIndex;
  /** POSTs a request to the app's /slack/events, as Slack would. */
  send(request: SlackRequest): Promise<Delivery>;
  close(): Promise<void>;
}

let sharedIndex: PaperIndex | undefined;

/** The seed corpus's index, built once per test file. */
export function seedIndex(): PaperIndex {
  sharedIndex ??= buildIndex(loadCorpus(DEFAULT_CORPUS).papers);
  return sharedIndex;
}

/**
 * The real app in HTTP mode on a loopback port, with a real SQLite file store, the real index and
 * answerer, talking to a fake Slack Web API.
 */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const slack = await new FakeSlack().start();
  const dir = mkdtempSync(join(tmpdir(), 'paperboy-slack-'));
  const store = openSqliteStore(join(dir, 'paperboy.db'));
  const index = options.extraPapers ? buildIndex([...loadCorpus(DEFAULT_CORPUS).papers, ...options.extraPapers]) : seedIndex();
  const config: LlmConfig | undefined = options.llmBaseURL
    ? { baseURL: options.llmBaseURL, apiKey: 'test-key', model: 'test-model', timeoutMs: 10_000, maxRetries: 0, maxPapers: 8, maxPromptTokens: 6_000, maxOutputTokens: 700, ...options.llm }
    : undefined;
  const answerer = createAnswerer({ ...(config ? { config } : {}), cache: store });
  const deps: AppDeps = { index, answerer, store, logger: silentLogger, timing: { ...DEFAULT_TIMING, updateIntervalMs: 200, ...options.timing } };
  const app = createApp(
    { mode: 'http', botToken: BOT_TOKEN, signingSecret: SIGNING_SECRET, port: 0, apiUrl: slack.apiUrl },
    deps,
    { logLevel: LogLevel.ERROR, ...(options.clientOptions ? { clientOptions: options.clientOptions } : {}) },
  );
  await app.init();
  const server = (await app.start({ port: 0, host: '127.0.0.1' })) as Server;
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
  return {
    slack,
    store,
    index,
    send: (request) => deliver(url, request),
    close: async () => {
      await app.stop();
      await store.close();
      await slack.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
