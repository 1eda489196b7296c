import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOT_ID, BOT_USER_ID, TEAM_ID } from '../../src/fake-slack/web-api.js';
import { startTestApp, type TestApp } from '../support/slack-app.js';
import { eventCallback, slashCommand } from '../../src/fake-slack/signed-requests.js';
import { finalUpdate, postedMessage, shownText } from '../support/slack-messages.js';
import { storedTurns } from '../support/stored-turns.js';

describe('threads', () => {
  let app: TestApp;
  let events = 0;
  let messages = 0;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => {
    await app.close();
  });

  const nextTs = () => `1800000000.${String(++messages).padStart(6, '0')}`;
  const send = (event: Record<string, unknown>, options: { eventId?: string; retryNum?: number } = {}) =>
    app.send(
      eventCallback(event, {
        eventId: options.eventId ?? `Ev${++events}`,
        ...(options.retryNum === undefined ? {} : { retryNum: options.retryNum }),
      }),
    );

  /** Runs /papers in a channel and resolves with the answer's ts once it is finished. */
  async function answerIn(channel: string, topic = 'distillation'): Promise<string> {
    await app.send(slashCommand({ text: topic, channel_id: channel, response_url: app.slack.responseUrl(channel) }));
    const { ts } = await postedMessage(app.slack, channel);
    await finalUpdate(app.slack, channel, ts);
    return ts;
  }

  const repliesIn = (channel: string, threadTs: string) =>
    app.slack.callsOf('chat.postMessage').filter((call) => call.args.channel === channel && call.args.thread_ts === threadTs);

  it("answers a reply in an answer's thread, in that thread, about its papers, and keeps the turns", async () => {
    const root = await answerIn('C0201');
    const ts = nextTs();
    const ack = await send({
      type: 'message',
      channel: 'C0201',
      channel_type: 'channel',
      user: 'U0002',
      text: 'Which one adds an auxiliary head?',
      ts,
      thread_ts: root,
    });
    expect(ack.status).toBe(200);
    const { ts: replyTs, call } = await postedMessage(app.slack, 'C0201', root);
    expect(shownText(call.args)).toContain('Thinking…');
    const final = await finalUpdate(app.slack, 'C0201', replyTs);
    expect(shownText(final.args)).toContain('Dual-Head Knowledge Distillation');
    const key = { teamId: TEAM_ID, channelId: 'C0201', threadTs: root };
    const turns = await storedTurns(app.store, key, 2);
    expect(turns.map((turn) => turn.role)).toEqual(['user', 'assistant']);
    expect(turns[0]!.text).toBe('Which one adds an auxiliary head?');
  });

  it('answers an event Slack delivered three times only once', async () => {
    const mentionTs = nextTs();
    const event = { type: 'app_mention', channel: 'C0202', user: 'U0002', text: `<@${BOT_USER_ID}> distillation`, ts: mentionTs };
    const deliveries = [];
    for (const retryNum of [undefined, 1, 2])
      deliveries.push(await send(event, { eventId: 'EvRetried', ...(retryNum ? { retryNum } : {}) }));
    expect(deliveries.map((delivery) => delivery.status)).toEqual([200, 200, 200]);
    const { ts } = await postedMessage(app.slack, 'C0202', mentionTs);
    await finalUpdate(app.slack, 'C0202', ts);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(repliesIn('C0202', mentionTs)).toHaveLength(1);
  });

  it('answers a mention in a known thread once, though it arrives as both app_mention and message', async () => {
    const root = await answerIn('C0203');
    const ts = nextTs();
    const text = `<@${BOT_USER_ID}> how do these compare?`;
    await send({ type: 'app_mention', channel: 'C0203', user: 'U0002', text, ts, thread_ts: root });
    await send({ type: 'message', channel: 'C0203', channel_type: 'channel', user: 'U0002', text, ts, thread_ts: root });
    const { ts: replyTs } = await postedMessage(app.slack, 'C0203', root);
    await finalUpdate(app.slack, 'C0203', replyTs);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(repliesIn('C0203', root)).toHaveLength(1);
    const turns = await app.store.getTurns({ teamId: TEAM_ID, channelId: 'C0203', threadTs: root });
    expect(turns[0]).toEqual({ role: 'user', text: 'how do these compare?' });
  });

  it('ignores its own messages, other bots, edits, top-level chatter and unknown threads', async () => {
    const root = await answerIn('C0204');
    const before = app.slack.calls.length;
    await send({
      type: 'message',
      channel: 'C0204',
      user: BOT_USER_ID,
      bot_id: BOT_ID,
      text: 'my own reply',
      ts: nextTs(),
      thread_ts: root,
    });
    await send({
      type: 'message',
      subtype: 'bot_message',
      channel: 'C0204',
      bot_id: 'BOTHER',
      text: 'another bot',
      ts: nextTs(),
      thread_ts: root,
    });
    await send({ type: 'message', channel: 'C0204', user: 'U0003', bot_id: 'BOTHER', text: 'a bot user', ts: nextTs(), thread_ts: root });
    await send({
      type: 'message',
      subtype: 'message_changed',
      channel: 'C0204',
      hidden: true,
      ts: nextTs(),
      message: { type: 'message', user: 'U0002', text: 'edited question?', ts: nextTs(), thread_ts: root },
      previous_message: { type: 'message', user: 'U0002', text: 'question?', ts: nextTs(), thread_ts: root },
    });
    await send({ type: 'message', channel: 'C0204', channel_type: 'channel', user: 'U0002', text: 'distillation is great', ts: nextTs() });
    await send({
      type: 'message',
      channel: 'C0204',
      channel_type: 'channel',
      user: 'U0002',
      text: 'unrelated thread',
      ts: nextTs(),
      thread_ts: '1700000000.999999',
    });
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(app.slack.calls.slice(before).map((call) => call.method)).toEqual([]);
  });

  it('answers a mention outside any known thread as a topic, in a thread under the mention, and follows up there', async () => {
    const mentionTs = nextTs();
    await send({ type: 'app_mention', channel: 'C0205', user: 'U0002', text: `<@${BOT_USER_ID}> distillation`, ts: mentionTs });
    const { ts } = await postedMessage(app.slack, 'C0205', mentionTs);
    const final = await finalUpdate(app.slack, 'C0205', ts);
    expect(shownText(final.args)).toContain('Dual-Head Knowledge Distillation');
    const thread = await app.store.getThread({ teamId: TEAM_ID, channelId: 'C0205', threadTs: mentionTs });
    expect(thread?.query).toBe('distillation');

    await send({
      type: 'message',
      channel: 'C0205',
      channel_type: 'channel',
      user: 'U0002',
      text: 'and the dual head one?',
      ts: nextTs(),
      thread_ts: mentionTs,
    });
    await app.slack.waitFor(() => repliesIn('C0205', mentionTs).length === 2);
  });

  it('tells the asker, privately, when a mention holds no question', async () => {
    const ts = nextTs();
    await send({ type: 'app_mention', channel: 'C0206', user: 'U0002', text: `<@${BOT_USER_ID}>`, ts });
    const ephemeral = await app.slack.waitFor((calls) =>
      calls.find((call) => call.method === 'chat.postEphemeral' && call.args.channel === 'C0206'),
    );
    expect(ephemeral.args).toMatchObject({ user: 'U0002', thread_ts: ts });
    expect(ephemeral.args.text).toMatch(/Tell me what to look for/);
  });
});
