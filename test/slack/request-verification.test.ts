import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/slack-app.js';
import { eventCallback, sign, slashCommand, type SlackRequest } from '../../src/fake-slack/signed-requests.js';

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
    [
      'altered after signing',
      () => {
        const signed = command({});
        return { ...signed, body: signed.body.replace('distillation', 'diffusion') };
      },
    ],
    [
      'an event with a forged signature',
      () =>
        eventCallback(
          { type: 'app_mention', channel: 'C0400', user: 'U1', text: 'distillation', ts: '1.2' },
          { eventId: 'EvForged', secret: 'forged' },
        ),
    ],
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

  it('rejects a request signed for more than five minutes in the future with 401', async () => {
    const future = slashCommand(
      { text: 'distillation', channel_id: 'C0498', response_url: app.slack.responseUrl('future') },
      { timestamp: Math.floor(Date.now() / 1000) + 6 * 60 },
    );
    expect((await app.send(future)).status).toBe(401);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(app.slack.calls.filter((call) => call.args.channel === 'C0498' || call.args.id === 'future')).toEqual([]);
  });

  it.each([
    ['a signed form with payload=null', () => sign('payload=null', 'application/x-www-form-urlencoded')],
    ['a signed form with payload=[]', () => sign('payload=%5B%5D', 'application/x-www-form-urlencoded')],
    ['a signed JSON body null', () => sign('null', 'application/json')],
    ['a signed JSON body 42', () => sign('42', 'application/json')],
  ])('answers %s with 400 and keeps serving', async (_, build) => {
    expect((await app.send(build())).status).toBe(400);
    const id = `after-null-${Math.random()}`;
    expect((await app.send(slashCommand({ text: 'help', response_url: app.slack.responseUrl(id) }))).status).toBe(200);
    await app.slack.waitFor((calls) => calls.find((call) => call.method === 'response_url' && call.args.id === id));
  });

  it('answers a byte-identical signed command once (a replay within the five minutes)', async () => {
    const captured = slashCommand({ text: 'distillation', channel_id: 'C0499', response_url: app.slack.responseUrl('replayed') });
    expect((await app.send(captured)).status).toBe(200);
    expect((await app.send(captured)).status).toBe(200);
    await app.slack.waitFor((calls) => calls.some((call) => call.method === 'chat.postMessage' && call.args.channel === 'C0499'));
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(app.slack.callsOf('chat.postMessage').filter((call) => call.args.channel === 'C0499')).toHaveLength(1);
  });
});
