import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/slack-app.js';
import { eventCallback, slashCommand, type SlackRequest } from '../../src/sandbox/slack-requests.js';

describe('requests not signed by Slack', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => {
    await app.close();
  });

  const command = (options: Parameters<typeof slashCommand>[1]) =>
    slashCommand({ text: 'distillation', channel_id: 'C0400', response_url: app.slack.responseUrl('x') }, options);

  const cases: Array<[string, () => SlackRequest]> = [
    ['signed with another secret', () => command({ secret: 'not-the-secret' })],
    ['unsigned', () => command({ unsigned: true })],
    ['signed six minutes ago (a replay)', () => command({ timestamp: Math.floor(Date.now() / 1000) - 6 * 60 })],
    ['altered after signing', () => {
      const signed = command({});
      return { ...signed, body: signed.body.replace('distillation', 'diffusion') };
    }],
    ['an event with a forged signature', () => eventCallback({ type: 'app_mention', channel: 'C0400', user: 'U1', text: 'distillation', ts: '1.2' }, { eventId: 'EvForged', secret: 'forged' })],
  ];

  it.each(cases)('rejects a request %s with 401 and does nothing', async (_, build) => {
    const response = await app.send(build());
    expect(response.status).toBe(401);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(app.slack.calls.filter((call) => call.method !== 'auth.test')).toEqual([]);
  });

  it('accepts the same request properly signed', async () => {
    const response = await app.send(command({}));
    expect(response.status).toBe(200);
    await app.slack.waitFor((calls) => calls.some((call) => call.method === 'chat.postMessage'));
  });
});
