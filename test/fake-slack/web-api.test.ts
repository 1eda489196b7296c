import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { floorMs } from '../../src/fake-slack/rate-limits.js';
import { BOT_ID, BOT_TOKEN, DEFAULT_USER_TZ, FakeSlack, TEAM_ID } from '../../src/fake-slack/web-api.js';

/** The fake must reject what Slack rejects, or the end-to-end tests prove nothing. */
describe('fake Slack', () => {
  let slack: FakeSlack;
  beforeAll(async () => {
    slack = await new FakeSlack().start();
  });
  afterAll(async () => {
    await slack.stop();
  });

  async function call(method: string, args: Record<string, unknown>, token = BOT_TOKEN) {
    const response = await fetch(slack.apiUrl + method, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', authorization: `Bearer ${token}` },
      body: JSON.stringify(args),
    });
    return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, unknown> };
  }
  const section = (text: string, extra: Record<string, unknown> = {}) => ({ type: 'section', text: { type: 'mrkdwn', text }, ...extra });
  const button = (actionId: string, text = 'Go') => ({
    type: 'button',
    text: { type: 'plain_text', text },
    action_id: actionId,
    value: 'v',
  });

  it('posts a valid message and returns its ts, then edits it', async () => {
    const posted = await call('chat.postMessage', { channel: 'C1', text: 'hi', blocks: [section('hi')] });
    expect(posted.body).toMatchObject({ ok: true, channel: 'C1' });
    const ts = String(posted.body.ts);
    expect((await call('chat.update', { channel: 'C1', ts, text: 'edited' })).body.ok).toBe(true);
    expect(slack.message('C1', ts)?.text).toBe('edited');
    expect((await call('chat.update', { channel: 'C1', ts: '1.1', text: 'x' })).body.error).toBe('message_not_found');
  });

  it.each([
    ['51 blocks', Array.from({ length: 51 }, () => section('x'))],
    ['a section over 3000 characters', [section('x'.repeat(3001))]],
    ['a header over 150 characters', [{ type: 'header', text: { type: 'plain_text', text: 'x'.repeat(151) } }]],
    ['a mrkdwn header', [{ type: 'header', text: { type: 'mrkdwn', text: 'x' } }]],
    ['an empty section', [{ type: 'section' }]],
    ['a repeated block_id', [section('a', { block_id: 'b' }), section('b', { block_id: 'b' })]],
    [
      'a repeated action_id',
      [
        { type: 'actions', elements: [button('a')] },
        { type: 'actions', elements: [button('a')] },
      ],
    ],
    ['26 buttons', [{ type: 'actions', elements: Array.from({ length: 26 }, (_, i) => button(`a${i}`)) }]],
    ['a button label over 75 characters', [{ type: 'actions', elements: [button('a', 'x'.repeat(76))] }]],
    ['11 context elements', [{ type: 'context', elements: Array.from({ length: 11 }, () => ({ type: 'mrkdwn', text: 'x' })) }]],
    ['an unknown block type', [{ type: 'carousel' }]],
  ])('rejects %s as invalid_blocks', async (_, blocks) => {
    const { body } = await call('chat.postMessage', { channel: 'C1', text: 'x', blocks });
    expect(body).toMatchObject({ ok: false, error: 'invalid_blocks' });
  });

  it('rejects text over 40,000 characters, messages with no content, and bad tokens', async () => {
    expect((await call('chat.postMessage', { channel: 'C1', text: 'x'.repeat(40_001) })).body.error).toBe('msg_too_long');
    expect((await call('chat.postMessage', { channel: 'C1' })).body.error).toBe('no_text');
    expect((await call('chat.postMessage', { channel: 'C1', text: 'x' }, 'xoxb-wrong')).body.error).toBe('invalid_auth');
  });

  it('fails as told: rate limits with Retry-After, server errors, channels the bot is not in', async () => {
    slack.failNext('chat.postMessage', { status: 429, retryAfter: 2 });
    slack.failNext('chat.postMessage', { status: 500 });
    const limited = await call('chat.postMessage', { channel: 'C1', text: 'x' });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('2');
    expect((await call('chat.postMessage', { channel: 'C1', text: 'x' })).status).toBe(500);
    expect((await call('chat.postMessage', { channel: 'C1', text: 'x' })).body.ok).toBe(true);
    slack.excludeBotFrom('G1');
    expect((await call('chat.postMessage', { channel: 'G1', text: 'x' })).body.error).toBe('not_in_channel');
  });

  it('reads form bodies as the SDK sends them, JSON-encoded blocks included', async () => {
    const form = new URLSearchParams({ token: BOT_TOKEN, channel: 'C2', text: 'x', blocks: JSON.stringify([section('hi')]) });
    await fetch(slack.apiUrl + 'chat.postMessage', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form,
    });
    const recorded = slack.callsOf('chat.postMessage').at(-1)!;
    expect(recorded.args.blocks).toEqual([section('hi')]);
    expect(recorded.token).toBe(BOT_TOKEN);
    expect(recorded.response?.ok).toBe(true);
  });

  it('keeps metadata and pages conversations.history as Slack does: newest first, within oldest/latest, by cursor', async () => {
    const metadata = { event_type: 'paperboy_digest', event_payload: { date: '2025-03-28' } };
    const first = await call('chat.postMessage', { channel: 'CH', text: 'digest', metadata });
    await call('chat.postMessage', { channel: 'CH', text: 'reply', thread_ts: first.body.ts });
    const later: string[] = [];
    for (let i = 0; i < 5; i++) later.push(String((await call('chat.postMessage', { channel: 'CH', text: `m${i}` })).body.ts));

    const page1 = await call('conversations.history', { channel: 'CH', limit: 4, include_all_metadata: true });
    expect(page1.body).toMatchObject({ ok: true, has_more: true });
    const texts = (page: typeof page1) => (page.body.messages as Array<Record<string, unknown>>).map((m) => m.text);
    expect(texts(page1)).toEqual(['m4', 'm3', 'm2', 'm1']);
    const cursor = (page1.body.response_metadata as { next_cursor: string }).next_cursor;
    const page2 = await call('conversations.history', { channel: 'CH', limit: 4, include_all_metadata: true, cursor });
    // Thread replies are not in the channel's history.
    expect(texts(page2)).toEqual(['m0', 'digest']);
    expect(page2.body.has_more).toBe(false);
    const digest = (page2.body.messages as Array<Record<string, unknown>>)[1]!;
    expect(digest).toMatchObject({ bot_id: BOT_ID, metadata });

    const withoutFlag = await call('conversations.history', { channel: 'CH' });
    expect((withoutFlag.body.messages as Array<Record<string, unknown>>).some((m) => 'metadata' in m)).toBe(false);
    const window = await call('conversations.history', { channel: 'CH', oldest: later[1], latest: later[4] });
    expect(texts(window)).toEqual(['m3', 'm2']);
    const inclusive = await call('conversations.history', { channel: 'CH', oldest: later[1], latest: later[4], inclusive: true });
    expect(texts(inclusive)).toEqual(['m4', 'm3', 'm2', 'm1']);
    expect((await call('conversations.history', { channel: 'CH', oldest: String(Date.now() / 1000 + 60) })).body.messages).toEqual([]);
  });

  it('rejects malformed metadata', async () => {
    for (const metadata of [
      { event_type: 'has space', event_payload: {} },
      { event_type: 'ok' },
      { event_type: 'ok', event_payload: ['x'] },
    ]) {
      expect((await call('chat.postMessage', { channel: 'C1', text: 'x', metadata })).body.error).toBe('invalid_metadata_format');
    }
  });

  it("gives each user's time zone, and none when told so", async () => {
    expect(((await call('users.info', { user: 'U1' })).body.user as { tz?: string }).tz).toBe(DEFAULT_USER_TZ);
    slack.setUserTimeZone('U2', 'America/New_York');
    slack.setUserTimeZone('U3', undefined);
    expect(((await call('users.info', { user: 'U2' })).body.user as { tz?: string }).tz).toBe('America/New_York');
    expect((await call('users.info', { user: 'U3' })).body.user).not.toHaveProperty('tz');
  });

  it('says whether the bot is in a channel, and hides private channels it is not in', async () => {
    slack.excludeBotFrom('COUT');
    slack.excludeBotFrom('GSECRET', 'private');
    expect((await call('conversations.info', { channel: 'CIN' })).body.channel).toMatchObject({ id: 'CIN', is_member: true });
    expect((await call('conversations.info', { channel: 'COUT' })).body.channel).toMatchObject({ is_member: false });
    expect((await call('conversations.history', { channel: 'COUT' })).body.error).toBe('not_in_channel');
    expect((await call('conversations.info', { channel: 'GSECRET' })).body.error).toBe('channel_not_found');
    expect((await call('chat.postMessage', { channel: 'GSECRET', text: 'x' })).body.error).toBe('channel_not_found');
    expect((await call('conversations.info', { channel: 'D1' })).body.channel).toMatchObject({ is_im: true });
  });

  it('serves several workspaces, one bot token each, and keeps their channels apart', async () => {
    const token = slack.addWorkspace('T0002');
    expect(slack.tokenOf('T0002')).toBe(token);
    expect((await call('auth.test', {}, token)).body).toMatchObject({ ok: true, team_id: 'T0002' });
    expect((await call('auth.test', {})).body).toMatchObject({ team_id: TEAM_ID });
    expect((await call('chat.postMessage', { channel: 'CTWO', text: 'x' }, token)).body.ok).toBe(true);
    expect((await call('conversations.history', { channel: 'CTWO' })).body.error).toBe('channel_not_found');
    expect((await call('conversations.history', { channel: 'CTWO' }, token)).body.ok).toBe(true);
  });

  it('checks messages sent to a response_url too', async () => {
    await fetch(slack.responseUrl('r'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'x', blocks: [section('')] }),
    });
    expect(slack.callsOf('response_url').at(-1)!.response).toMatchObject({ ok: false, error: 'invalid_blocks' });
  });
});

describe('fake Slack rate limits', () => {
  let slack: FakeSlack;
  beforeAll(async () => {
    slack = await new FakeSlack().start();
  });
  afterAll(async () => {
    await slack.stop();
  });

  const post = (channel: string, token = BOT_TOKEN) =>
    fetch(slack.apiUrl + 'chat.postMessage', {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', authorization: `Bearer ${token}` },
      body: JSON.stringify({ channel, text: 'x' }),
    });

  it('allows one post per second in a channel and a budget per workspace, answering 429 with Retry-After past them', async () => {
    slack.limitRates({ teamPerMinute: 60, teamBurst: 3 });
    expect((await post('C1')).status).toBe(200);
    const again = await post('C1');
    expect(again.status).toBe(429);
    expect(again.headers.get('retry-after')).toBe('1');
    expect((await again.json()) as unknown).toEqual({ ok: false, error: 'ratelimited' });
    expect((await post('C2')).status).toBe(200);
    expect((await post('C3')).status).toBe(200);
    // The workspace's burst is spent: a fourth channel waits for the next token (one a second).
    expect((await post('C4')).status).toBe(429);
    // Another workspace has its own budget.
    expect((await post('C9', slack.addWorkspace('T0002'))).status).toBe(200);
    expect(slack.callsOf('chat.postMessage').map((call) => call.status)).toEqual([200, 429, 200, 200, 429, 200]);
    slack.limitRates(undefined);
    expect((await post('C1')).status).toBe(200);
  });

  it('computes the least time a workspace needs for its posts', () => {
    expect(floorMs({ teamPerMinute: 60, teamBurst: 10 }, 10)).toBe(0);
    expect(floorMs({ teamPerMinute: 60, teamBurst: 10 }, 70)).toBe(60_000);
  });
});
