import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LogLevel } from '@slack/bolt';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadSettings } from '../../src/config.js';
import type { Logger } from '../../src/lib/logger.js';
import { startPaperboy, type Runtime, type RuntimeOptions } from '../../src/runtime/start.js';
import { BOT_TOKEN, FakeSlack, TEAM_ID } from '../../src/fake-slack/web-api.js';
import { deliver, SIGNING_SECRET, slashCommand } from '../../src/fake-slack/signed-requests.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import { quirksDay, recordedDay, startHfServer, type HfServer } from '../support/hf-server.js';

const TODAY = '2026-03-02';
const YESTERDAY = '2026-03-01';
const NOW = new Date(`${TODAY}T10:00:00Z`);

/**
 * A recorded Daily Papers item made into a paper the seed corpus does not have (the recorded day's
 * papers are all in the seed).
 */
function dayWithNewPaper(): unknown[] {
  const [item] = recordedDay('2025-03-28') as Array<{ paper: Record<string, unknown> }>;
  return [
    {
      ...item,
      paper: {
        ...item!.paper,
        id: '2603.00001',
        title: 'Quokkas Route Mixtures of Experts',
        summary: 'We teach quokkas to route tokens to experts.',
      },
    },
  ];
}

interface LogLine {
  level: 'info' | 'warn' | 'error';
  message: string;
  fields?: Record<string, unknown>;
}

function recordingLogger(lines: LogLine[]): Logger {
  return {
    debug() {},
    info: (message, fields) => void lines.push({ level: 'info', message, ...(fields ? { fields } : {}) }),
    warn: (message, fields) => void lines.push({ level: 'warn', message, ...(fields ? { fields } : {}) }),
    error: (message, fields) => void lines.push({ level: 'error', message, ...(fields ? { fields } : {}) }),
  };
}

describe('the runtime', () => {
  let slack: FakeSlack;
  let dir: string;
  let runtime: Runtime | undefined;
  let hf: HfServer | undefined;
  let logs: LogLine[];
  let dbCount = 0;

  beforeAll(async () => {
    slack = await new FakeSlack().start();
    dir = mkdtempSync(join(tmpdir(), 'paperboy-runtime-'));
  });
  afterEach(async () => {
    vi.useRealTimers();
    await runtime?.stop();
    await hf?.close();
    runtime = undefined;
    hf = undefined;
  });
  afterAll(async () => {
    await slack.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function start(env: Record<string, string>, options: Partial<RuntimeOptions> = {}): Promise<Runtime> {
    logs = [];
    runtime = await startPaperboy({
      settings: loadSettings({
        SLACK_BOT_TOKEN: BOT_TOKEN,
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_API_URL: slack.apiUrl,
        PORT: '0',
        PAPERBOY_DB: join(dir, `paperboy-${++dbCount}.db`),
        ...env,
      }),
      logger: recordingLogger(logs),
      host: '127.0.0.1',
      clock: () => NOW,
      hf: { sleep: async () => {} },
      app: { logLevel: LogLevel.ERROR },
      ...options,
    });
    return runtime;
  }

  async function papers(topic: string, channel: string) {
    const response = await deliver(
      `http://127.0.0.1:${runtime!.port}/slack/events`,
      slashCommand({ text: topic, channel_id: channel, response_url: slack.responseUrl(channel) }),
    );
    expect(response.status).toBe(200);
    return slack.waitFor((calls) => calls.find((call) => call.method === 'chat.postMessage' && call.args.channel === channel));
  }

  it('refreshes Daily Papers in the background at start-up; new papers are searchable without a restart', async () => {
    hf = await startHfServer({ [TODAY]: dayWithNewPaper() });
    const { services, firstRefresh, freshness } = await start({ HF_ENDPOINT: hf.url });
    const seeded = services.index.size;
    expect(freshness()).toBe(`${seeded} papers; latest Daily Papers day 2025-03-28 (seed, not refreshed)`);
    expect(services.index.search('quokkas')).toEqual([]);

    await firstRefresh;
    expect(hf.requests.map((request) => request.url.searchParams.get('date')).sort()).toEqual([YESTERDAY, TODAY]);
    expect(services.index.search('quokkas').map((hit) => hit.paper.id)).toEqual(['2603.00001']);
    expect(services.index.size).toBe(seeded + 1);
    expect((await services.store.trendingOn(TODAY)).map((paper) => paper.id)).toContain('2603.00001');
    expect(freshness()).toBe(`${seeded + 1} papers; latest Daily Papers day ${TODAY} (refreshed just now)`);

    const answer = await papers('quokkas', 'C0501');
    expect(JSON.stringify(answer.args.blocks)).toContain('Quokkas Route Mixtures of Experts');
  });

  it('the hourly refresh stores a real day whose items carry "ai_keywords": [""] and no title, and logs what it skipped', async () => {
    hf = await startHfServer({ [TODAY]: quirksDay() });
    const { services, firstRefresh, freshness } = await start({ HF_ENDPOINT: hf.url });
    await firstRefresh;
    expect((await services.store.trendingOn(TODAY)).map((paper) => paper.id)).toEqual([
      '2506.17450',
      '2505.16839',
      '2506.21862',
      '2506.21356',
    ]);
    expect(freshness()).toContain(`latest Daily Papers day ${TODAY} (refreshed just now)`);
    expect(logs.filter((line) => line.level === 'warn')).toEqual([
      { level: 'warn', message: 'daily papers items skipped', fields: { reasons: '1 × paper.title: missing or empty' } },
    ]);
  });

  it('keeps serving when Hugging Face is down, logs the failure once, and says so', async () => {
    const { firstRefresh, freshness } = await start({ HF_ENDPOINT: 'http://127.0.0.1:9' });
    await firstRefresh;
    expect(freshness()).toMatch(
      /^\d+ papers; latest Daily Papers day 2025-03-28 \(refresh failed just now: Hugging Face unavailable for 2026-03-0\d after 4 attempts \(network error: .+\)\)$/,
    );
    expect(logs.filter((line) => line.level === 'warn')).toEqual([
      { level: 'warn', message: 'paper refresh failed', fields: expect.objectContaining({ days: `${YESTERDAY},${TODAY}`, papers: 0 }) },
    ]);
    const answer = await papers('distillation', 'C0502');
    expect(answer.response?.ok).toBe(true);
  });

  it('refreshes again every hour at :05, so a failed refresh recovers without a restart', async () => {
    hf = await startHfServer({ [TODAY]: dayWithNewPaper() });
    hf.failures.push(...Array.from({ length: 8 }, () => ({ status: 503 })));
    vi.useFakeTimers({ now: new Date('2026-03-02T10:00:05Z'), toFake: ['setTimeout', 'clearTimeout', 'Date'], shouldAdvanceTime: true });
    const { firstRefresh, freshness, services } = await start({ HF_ENDPOINT: hf.url });
    await firstRefresh;
    expect(freshness()).toMatch(/refresh failed just now: Hugging Face unavailable .* \(HTTP 503\)\)$/);
    await vi.advanceTimersByTimeAsync(64 * 60_000);
    await until(() => services.index.search('quokkas').length === 1);
    expect(freshness()).toMatch(/latest Daily Papers day 2026-03-02 \(refreshed just now\)$/);
  });

  it('does not refresh when PAPERBOY_REFRESH=off', async () => {
    hf = await startHfServer({ [TODAY]: dayWithNewPaper() });
    const { firstRefresh, freshness } = await start({ HF_ENDPOINT: hf.url, PAPERBOY_REFRESH: 'off' });
    expect(firstRefresh).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(hf.requests).toEqual([]);
    expect(freshness()).toMatch(/latest Daily Papers day 2025-03-28 \(seed, refresh off\)$/);
  });

  it("posts a digest when its time comes by the scheduler's clock", async () => {
    const db = join(dir, 'scheduled.db');
    const store = openSqliteStore(db);
    await store.saveSubscription({
      teamId: TEAM_ID,
      channelId: 'C0503',
      time: '09:00',
      timeZone: 'UTC',
      days: 'daily',
      topics: '',
      createdBy: 'U0001',
    });
    await store.close();
    // Only the wall clock's ticks are faked (5 s past a minute, far from the next tick): sockets,
    // the database and Slack run for real.
    vi.useFakeTimers({ now: new Date('2026-03-02T10:00:05Z'), toFake: ['setTimeout', 'clearTimeout', 'Date'], shouldAdvanceTime: true });
    // The morning after the seed's Daily Papers day (2025-03-28): that day has closed.
    await start({ PAPERBOY_DB: db, PAPERBOY_REFRESH: 'off' }, { clock: () => new Date('2025-03-29T09:02:00Z') });
    expect(slack.callsOf('chat.postMessage').filter((call) => call.args.channel === 'C0503')).toEqual([]);
    await vi.advanceTimersByTimeAsync(56_000);
    const post = await slack.waitFor((calls) => calls.find((call) => call.method === 'chat.postMessage' && call.args.channel === 'C0503'));
    expect((post.args.metadata as { event_payload: { date: string; trending_date: string } }).event_payload).toMatchObject({
      date: '2025-03-29',
      trending_date: '2025-03-28',
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(logs).toContainEqual(expect.objectContaining({ level: 'info', message: 'digests due' }));
  });
});

async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
