import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_QUERY_LENGTH } from '../../src/answer/topic-answer.js';
import { startTestApp, type TestApp } from '../support/slack-app.js';
import { slashCommand } from '../../src/fake-slack/signed-requests.js';
import { shownText } from '../support/slack-messages.js';

describe('/papers replies that go to the asker alone', () => {
  let app: TestApp;
  let requests = 0;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => {
    await app.close();
  });

  /** Sends `/papers text` and resolves with what the app sent to its response_url. */
  async function ask(text: string, channel = 'C0100') {
    const id = `r${++requests}`;
    const ack = await app.send(slashCommand({ text, channel_id: channel, response_url: app.slack.responseUrl(id) }));
    expect(ack.status).toBe(200);
    const reply = await app.slack.waitFor((calls) => calls.find((call) => call.method === 'response_url' && call.args.id === id));
    return reply.args;
  }

  it.each(['', '   ', 'help', 'HELP'])('shows usage for "/papers %s"', async (text) => {
    const reply = await ask(text);
    expect(reply.response_type).toBe('ephemeral');
    expect(shownText(reply)).toContain('/papers &lt;topic&gt;');
  });

  it.each(['subscribe', 'unsubscribe #research', 'subscriptions'])('never takes "%s" for a topic', async (text) => {
    const reply = await ask(text);
    expect(reply.response_type).toBe('ephemeral');
    expect(reply.text).toMatch(/digest/i);
    expect(shownText(reply)).not.toContain('Papers on');
    expect(app.slack.callsOf('chat.postMessage')).toHaveLength(0);
  });

  it('refuses a query over the length limit, saying what the limit is', async () => {
    const reply = await ask('distillation '.repeat(200).slice(0, MAX_QUERY_LENGTH + 1));
    expect(reply.text).toContain(`the limit is ${MAX_QUERY_LENGTH}`);
    expect(app.slack.callsOf('chat.postMessage')).toHaveLength(0);
  });

  it('answers a query of exactly the limit', async () => {
    const query = 'distillation '.repeat(200).slice(0, MAX_QUERY_LENGTH - 1) + 'x';
    await app.send(slashCommand({ text: query, channel_id: 'C0101', response_url: app.slack.responseUrl('long-ok') }));
    const posted = await app.slack.waitFor((calls) =>
      calls.find((call) => call.method === 'chat.postMessage' && call.args.channel === 'C0101'),
    );
    expect(posted.response?.ok).toBe(true);
    const header = (posted.args.blocks as Array<{ type: string; text: { text: string } }>)[0]!;
    expect(header.type).toBe('header');
    expect(header.text.text.length).toBeLessThanOrEqual(150);
  });

  it('says plainly when nothing matches', async () => {
    const reply = await ask('zzzqqq xxyyzz');
    expect(reply.response_type).toBe('ephemeral');
    expect(reply.text).toMatch(/^I found no papers on “zzzqqq xxyyzz”\. Try broader or different words\.$/);
  });

  it('tells the asker when the answer could not be posted', async () => {
    app.slack.failNext('chat.postMessage', { status: 200, error: 'is_archived' });
    const reply = await ask('distillation', 'C0ARCHIVED');
    expect(reply).toMatchObject({ response_type: 'ephemeral', text: 'Sorry, I could not post the answer here (is_archived).' });
  });

  it('answers privately, with how to invite the bot, where it cannot post', async () => {
    app.slack.excludeBotFrom('G0PRIVATE');
    const reply = await ask('distillation', 'G0PRIVATE');
    expect(reply.response_type).toBe('ephemeral');
    const shown = shownText(reply);
    expect(shown).toContain('Dual-Head Knowledge Distillation');
    expect(shown).toContain('/invite @Paperboy');
    expect(shown).not.toContain('paper_summarize');
    const failed = app.slack.callsOf('chat.postMessage').filter((call) => call.args.channel === 'G0PRIVATE');
    expect(failed.map((call) => call.response?.error)).toEqual(['not_in_channel']);
  });
});
