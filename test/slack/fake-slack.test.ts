import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOT_TOKEN, FakeSlack } from '../../src/sandbox/fake-slack.js';

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
  const button = (actionId: string, text = 'Go') => ({ type: 'button', text: { type: 'plain_text', text }, action_id: actionId, value: 'v' });

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
    ['a repeated action_id', [{ type: 'actions', elements: [button('a')] }, { type: 'actions', elements: [button('a')] }]],
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
    await fetch(slack.apiUrl + 'chat.postMessage', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form });
    const recorded = slack.callsOf('chat.postMessage').at(-1)!;
    expect(recorded.args.blocks).toEqual([section('hi')]);
    expect(recorded.token).toBe(BOT_TOKEN);
    expect(recorded.response?.ok).toBe(true);
  });
});
