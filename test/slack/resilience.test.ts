import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startOpenAiServer, type OpenAiTestServer } from '../support/openai-server.js';
import { startTestApp, type TestApp } from '../support/slack-app.js';
import { slashCommand } from '../../src/fake-slack/signed-requests.js';
import { finalUpdate, postedMessage, shownText } from '../support/slack-messages.js';

describe('when Slack pushes back', () => {
  let app: TestApp;
  beforeAll(async () => {
    // The client's own retry policy: it must honour Retry-After.
    app = await startTestApp();
  });
  afterAll(async () => {
    await app.close();
  });

  const ask = (channel: string) =>
    app.send(slashCommand({ text: 'distillation', channel_id: channel, response_url: app.slack.responseUrl(channel) }));
  const postsIn = (channel: string) => app.slack.callsOf('chat.postMessage').filter((call) => call.args.channel === channel);

  it('retries a rate-limited post after Retry-After, and posts it once', async () => {
    app.slack.failNext('chat.postMessage', { status: 429, retryAfter: 1 });
    const ack = await ask('C0601');
    expect(ack.status).toBe(200);
    const { ts } = await postedMessage(app.slack, 'C0601');
    const [limited, retried] = postsIn('C0601');
    expect(limited!.response?.error).toBe('ratelimited');
    expect(retried!.at - limited!.at).toBeGreaterThanOrEqual(1000);
    await finalUpdate(app.slack, 'C0601', ts);
    expect(postsIn('C0601').filter((call) => call.response?.ok)).toHaveLength(1);
  });

  it('retries a rate-limited final edit, so the answer is not lost', async () => {
    app.slack.failNext('chat.update', { status: 429, retryAfter: 1 });
    await ask('C0602');
    const { ts } = await postedMessage(app.slack, 'C0602');
    const final = await finalUpdate(app.slack, 'C0602', ts);
    const edits = app.slack.callsOf('chat.update').filter((call) => call.args.ts === ts);
    expect(edits.map((call) => call.response?.error ?? 'ok')).toEqual(['ratelimited', 'ok']);
    expect(edits[1]!.at - edits[0]!.at).toBeGreaterThanOrEqual(1000);
    expect(app.slack.message('C0602', ts)?.blocks).toEqual(final.args.blocks);
    expect(shownText(final.args)).toContain('Dual-Head Knowledge Distillation');
  });

  it('does not retry a post that met a server error (Slack may have recorded it), and tells the person within seconds', async () => {
    app.slack.failNext('chat.postMessage', { status: 503 });
    const started = Date.now();
    await ask('C0603');
    const told = await app.slack.waitFor((calls) => calls.find((call) => call.method === 'response_url' && call.args.id === 'C0603'));
    expect(told.at - started).toBeLessThan(3000);
    expect(told.args).toMatchObject({ response_type: 'ephemeral' });
    expect(String(told.args.text)).toContain('Slack did not accept the answer; try again.');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(postsIn('C0603').map((call) => call.response?.ok)).toEqual([false]);
  });

  it('gives up on a post that hangs after its timeout, without sending it again, and tells the person', async () => {
    app.slack.failNext('chat.postMessage', { status: 'hang', ms: 8_000 });
    const started = Date.now();
    await ask('C0606');
    const told = await app.slack.waitFor(
      (calls) => calls.find((call) => call.method === 'response_url' && call.args.id === 'C0606'),
      9_000,
    );
    expect(told.at - started).toBeLessThan(7_000);
    expect(String(told.args.text)).toContain('Slack did not accept the answer; try again.');
    expect(postsIn('C0606')).toHaveLength(1);
  }, 15_000);

  it('falls back to a plain final message when Slack refuses the final edit, never leaving the placeholder', async () => {
    app.slack.failNext('chat.update', { status: 200, error: 'invalid_blocks' });
    await ask('C0604');
    const { ts } = await postedMessage(app.slack, 'C0604');
    await app.slack.waitFor(
      (calls) =>
        calls.filter((call) => call.method === 'chat.update' && call.args.ts === ts).length >= 2 && calls.at(-1)!.response !== undefined,
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    const shown = JSON.stringify(app.slack.message('C0604', ts));
    expect(shown).not.toContain('Reading the papers');
    expect(shown).toContain('Dual-Head Knowledge Distillation');
  });

  it('posts the answer anew and deletes the placeholder when Slack refuses every edit', async () => {
    app.slack.failNext('chat.update', { status: 200, error: 'msg_too_long' }, 2);
    await ask('C0605');
    const { ts } = await postedMessage(app.slack, 'C0605');
    await app.slack.waitFor((calls) => calls.some((call) => call.method === 'chat.delete' && call.args.ts === ts && call.response?.ok));
    expect(app.slack.message('C0605', ts)).toBeUndefined();
    const posts = postsIn('C0605').filter((call) => call.response?.ok);
    expect(posts).toHaveLength(2);
    expect(JSON.stringify(posts[1]!.args)).toContain('Dual-Head Knowledge Distillation');
    expect(JSON.stringify(posts[1]!.args)).not.toContain('Reading the papers');
  });
});

describe('when the LLM is slow', () => {
  let llm: OpenAiTestServer;
  let app: TestApp | undefined;
  beforeAll(async () => {
    llm = await startOpenAiServer();
  });
  afterEach(async () => {
    await app?.close();
  });
  afterAll(async () => {
    await llm.close();
  });

  it('acks at once, and finishes the message with the papers when the answer takes 10 s', async () => {
    llm.enqueue(...Array.from({ length: 6 }, () => ({ type: 'hang' as const, ms: 10_000 })));
    app = await startTestApp({ llmBaseURL: llm.baseURL, llm: { timeoutMs: 15_000 }, timing: { answerTimeoutMs: 1500 } });
    const started = Date.now();
    const ack = await app.send(slashCommand({ text: 'distillation', channel_id: 'C0610', response_url: app.slack.responseUrl('slow') }));
    expect(ack.status).toBe(200);
    const { ts } = await postedMessage(app.slack, 'C0610');
    const final = await finalUpdate(app.slack, 'C0610', ts, 5000);
    expect(Date.now() - started).toBeLessThan(4000);
    expect(shownText(final.args)).toContain('taking too long');
    expect(shownText(final.args)).toContain('Dual-Head Knowledge Distillation');
    // The synthesis request is cancelled at the deadline; the TL;DRs are left to finish for the cache.
    const synthesis = llm.requests.find((request) => request.body?.stream);
    expect(synthesis?.abandonedAt).toBeDefined();
    expect(synthesis!.abandonedAt! - synthesis!.receivedAt).toBeLessThan(3000);
  });

  it('shows the answer when it comes within the deadline, however slow', async () => {
    llm.enqueue({ type: 'stream', chunks: ['- Dual-Head distillation adds an auxiliary head [1].'], firstTokenDelayMs: 2000 });
    app = await startTestApp({ llmBaseURL: llm.baseURL });
    const ack = await app.send(slashCommand({ text: 'distillation', channel_id: 'C0611', response_url: app.slack.responseUrl('slow2') }));
    expect(ack.status).toBe(200);
    const { ts } = await postedMessage(app.slack, 'C0611');
    const final = await finalUpdate(app.slack, 'C0611', ts);
    expect(shownText(final.args)).toContain('adds an auxiliary head [1]');
  });
});
