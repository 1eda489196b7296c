import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventCallback, slashCommand } from '../../src/fake-slack/signed-requests.js';
import { APP_TOKEN, startTestApp, type TestApp } from '../support/slack-app.js';
import { finalUpdate, postedMessage, shownText } from '../support/slack-messages.js';
import type { SocketModeServer } from '../support/socket-mode-server.js';

describe('Socket Mode (SLACK_APP_TOKEN set)', () => {
  let app: TestApp;
  let sockets: SocketModeServer;

  beforeAll(async () => {
    app = await startTestApp({ socketMode: true, clientOptions: { retryConfig: { retries: 0 } } });
    sockets = app.sockets!;
  });

  afterAll(async () => {
    await app.close();
  });

  it('opens its WebSocket through apps.connections.open at SLACK_API_URL, with the app-level token', () => {
    const opens = app.slack.callsOf('apps.connections.open');
    expect(opens).toHaveLength(1);
    expect(opens[0]!.token).toBe(APP_TOKEN);
    expect(sockets.connections).toBe(1);
  });

  it('acknowledges /papers over the socket at once, then posts the answer in the channel and starts its thread', async () => {
    await sockets.deliver(slashCommand({ text: 'distillation', channel_id: 'C0901', response_url: app.slack.responseUrl('socket') }));
    const { ts } = await postedMessage(app.slack, 'C0901');
    const final = await finalUpdate(app.slack, 'C0901', ts);
    expect(shownText(final.args)).toContain('Dual-Head Knowledge Distillation');

    const reply = eventCallback(
      {
        type: 'message',
        channel: 'C0901',
        channel_type: 'channel',
        user: 'U0002',
        text: 'Which one adds an auxiliary head?',
        ts: '1800000100.000001',
        thread_ts: ts,
      },
      { eventId: 'EvSocket1' },
    );
    await sockets.deliver(reply);
    await sockets.deliver(reply, { retryAttempt: 1 });
    const { ts: replyTs } = await postedMessage(app.slack, 'C0901', ts);
    await finalUpdate(app.slack, 'C0901', replyTs);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const replies = app.slack.callsOf('chat.postMessage').filter((call) => call.args.thread_ts === ts);
    expect(replies).toHaveLength(1);
  });
});
