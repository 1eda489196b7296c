import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LogLevel, type App } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAnswerer } from '../../src/answer/index.js';
import { silentLogger } from '../../src/answer/logger.js';
import { createApp } from '../../src/app.js';
import { BOT_TOKEN, FakeSlack } from '../../src/sandbox/fake-slack.js';
import { eventCallback, slashCommand } from '../../src/sandbox/slack-requests.js';
import { DEFAULT_TIMING } from '../../src/slack/deps.js';
import type { AppStore } from '../../src/store/open.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import { seedIndex } from '../support/slack-app.js';
import { finalUpdate, postedMessage, shownText } from '../support/slack-messages.js';
import { SocketModeServer } from '../support/socket-mode-server.js';

const APP_TOKEN = 'xapp-1-A0001-test';

describe('Socket Mode (SLACK_APP_TOKEN set)', () => {
  let slack: FakeSlack;
  let sockets: SocketModeServer;
  let store: AppStore;
  let app: App;
  let dir: string;

  beforeAll(async () => {
    slack = await new FakeSlack().start();
    sockets = await SocketModeServer.start();
    slack.enableSocketMode(APP_TOKEN, sockets.url);
    dir = mkdtempSync(join(tmpdir(), 'paperboy-socket-'));
    store = openSqliteStore(join(dir, 'paperboy.db'));
    const deps = { index: seedIndex(), answerer: createAnswerer({ cache: store }), store, logger: silentLogger, timing: { ...DEFAULT_TIMING, updateIntervalMs: 200 } };
    app = createApp({ mode: 'socket', botToken: BOT_TOKEN, appToken: APP_TOKEN, apiUrl: slack.apiUrl }, deps, {
      logLevel: LogLevel.ERROR,
      clientOptions: { retryConfig: { retries: 0 } },
    });
    await app.init();
    await app.start();
  });

  afterAll(async () => {
    await app.stop();
    await sockets.close();
    await store.close();
    await slack.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('opens its WebSocket through apps.connections.open at SLACK_API_URL, with the app-level token', () => {
    const opens = slack.callsOf('apps.connections.open');
    expect(opens).toHaveLength(1);
    expect(opens[0]!.token).toBe(APP_TOKEN);
    expect(sockets.connections).toBe(1);
  });

  it('acknowledges /papers over the socket at once, then posts the answer in the channel and starts its thread', async () => {
    const ack = await sockets.deliver(slashCommand({ text: 'distillation', channel_id: 'C0901', response_url: slack.responseUrl('socket') }));
    expect(ack.ms).toBeLessThan(1000);
    const { ts } = await postedMessage(slack, 'C0901');
    const final = await finalUpdate(slack, 'C0901', ts);
    expect(shownText(final.args)).toContain('Dual-Head Knowledge Distillation');

    const reply = eventCallback(
      { type: 'message', channel: 'C0901', channel_type: 'channel', user: 'U0002', text: 'Which one adds an auxiliary head?', ts: '1800000100.000001', thread_ts: ts },
      { eventId: 'EvSocket1' },
    );
    await sockets.deliver(reply);
    await sockets.deliver(reply, { retryAttempt: 1 });
    const { ts: replyTs } = await postedMessage(slack, 'C0901', ts);
    await finalUpdate(slack, 'C0901', replyTs);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const replies = slack.callsOf('chat.postMessage').filter((call) => call.args.thread_ts === ts);
    expect(replies).toHaveLength(1);
  });
});
