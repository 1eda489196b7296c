import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOT_ID, BOT_USER_ID } from '../../src/fake-slack/web-api.js';
import { eventCallback, slashCommand } from '../../src/fake-slack/signed-requests.js';
import { startOpenAiServer, type OpenAiTestServer } from '../support/openai-server.js';
import { startTestApp, type TestApp } from '../support/slack-app.js';
import { finalUpdate, postedMessage, shownText, updatesOf } from '../support/slack-messages.js';

/**
 * Message events as Slack really sends them (issue 9), through the real Bolt app:
 * - thread_broadcast: the example of https://docs.slack.dev/reference/events/message/thread_broadcast
 *   ("Also send to channel"): subtype, user, text, ts, thread_ts, a `root` copy of the parent, blocks.
 * - file_share: @slack/types FileShareMessageEvent and https://docs.slack.dev/reference/events/message/file_share
 *   (subtype, `files`, `upload`, `display_as_bot`, thread_ts for a reply in a thread).
 * - message_deleted / message_changed: hidden, no `user` at the top (docs' message_deleted example).
 * - A DM: channel "D…", channel_type "im" (docs' message.im example).
 * - The bot's own broadcast reply has subtype thread_broadcast and bot_id (slack-go/slack#792).
 */
describe('Slack message events of the real shape', () => {
  let app: TestApp;
  let events = 0;
  let messages = 0;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.close());

  const nextTs = () => `1810000000.${String(++messages).padStart(6, '0')}`;
  const send = (event: Record<string, unknown>) => app.send(eventCallback(event, { eventId: `EvReal${++events}` }));
  const repliesIn = (channel: string, threadTs: string) =>
    app.slack
      .callsOf('chat.postMessage')
      .filter((call) => call.args.channel === channel && call.args.thread_ts === threadTs && call.response?.ok);
  const settle = () => new Promise((resolve) => setTimeout(resolve, 400));

  async function answerIn(channel: string, topic = 'distillation'): Promise<string> {
    await app.send(slashCommand({ text: topic, channel_id: channel, response_url: app.slack.responseUrl(channel) }));
    const { ts } = await postedMessage(app.slack, channel);
    await finalUpdate(app.slack, channel, ts);
    return ts;
  }

  function broadcast(channel: string, root: string, text: string, user = 'U0002', extra: Record<string, unknown> = {}) {
    const ts = nextTs();
    return {
      type: 'message',
      subtype: 'thread_broadcast',
      text,
      user,
      ts,
      thread_ts: root,
      root: {
        type: 'message',
        text: 'Papers on "distillation"',
        user: BOT_USER_ID,
        bot_id: BOT_ID,
        ts: root,
        thread_ts: root,
        reply_count: 1,
        reply_users_count: 1,
        latest_reply: ts,
        reply_users: [user],
        is_locked: false,
      },
      blocks: [{ type: 'rich_text', block_id: 'BVp', elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text }] }] }],
      client_msg_id: '123abc456-0001',
      channel,
      event_ts: ts,
      channel_type: 'channel',
      ...extra,
    };
  }

  it('answers a reply sent with "Also send to channel" (thread_broadcast), exactly once', async () => {
    const root = await answerIn('C0901');
    const event = broadcast('C0901', root, 'Which one adds an auxiliary head?');
    await send(event);
    const { ts } = await postedMessage(app.slack, 'C0901', root);
    const final = await finalUpdate(app.slack, 'C0901', ts);
    expect(shownText(final.args)).toContain('Dual-Head Knowledge Distillation');
    // Slack may deliver the same broadcast again under another event id: still one answer.
    await app.send(eventCallback(event, { eventId: 'EvRealAgain' }));
    await settle();
    expect(repliesIn('C0901', root)).toHaveLength(1);
  });

  it('answers a reply with a file attached (file_share)', async () => {
    const root = await answerIn('C0902');
    const ts = nextTs();
    await send({
      type: 'message',
      subtype: 'file_share',
      text: 'How does this compare to the dual head paper?',
      files: [
        {
          id: 'F0123',
          name: 'plot.png',
          title: 'plot.png',
          mimetype: 'image/png',
          filetype: 'png',
          user: 'U0002',
          size: 1024,
          mode: 'hosted',
        },
      ],
      upload: false,
      user: 'U0002',
      display_as_bot: false,
      ts,
      thread_ts: root,
      parent_user_id: BOT_USER_ID,
      channel: 'C0902',
      channel_type: 'channel',
      event_ts: ts,
    });
    const { ts: replyTs } = await postedMessage(app.slack, 'C0902', root);
    await finalUpdate(app.slack, 'C0902', replyTs);
    expect(repliesIn('C0902', root)).toHaveLength(1);
  });

  it('keeps ignoring deletions, edits, other bots and its own broadcast replies', async () => {
    const root = await answerIn('C0903');
    const before = app.slack.calls.length;
    await send(broadcast('C0903', root, 'my own broadcast', BOT_USER_ID, { bot_id: BOT_ID }));
    await send({
      type: 'message',
      subtype: 'bot_message',
      text: 'another bot',
      bot_id: 'BOTHER',
      ts: nextTs(),
      thread_ts: root,
      channel: 'C0903',
      channel_type: 'channel',
    });
    await send({
      type: 'message',
      subtype: 'message_deleted',
      hidden: true,
      channel: 'C0903',
      channel_type: 'channel',
      ts: nextTs(),
      deleted_ts: root,
      previous_message: { type: 'message', user: 'U0002', text: 'question?', ts: root },
    });
    await send({
      type: 'message',
      subtype: 'message_changed',
      hidden: true,
      channel: 'C0903',
      channel_type: 'channel',
      ts: nextTs(),
      message: { type: 'message', user: 'U0002', text: 'edited question?', ts: nextTs(), thread_ts: root },
      previous_message: { type: 'message', user: 'U0002', text: 'question?', ts: nextTs(), thread_ts: root },
    });
    await send({
      type: 'message',
      subtype: 'channel_join',
      user: 'U0004',
      text: '<@U0004> has joined the channel',
      ts: nextTs(),
      channel: 'C0903',
      channel_type: 'channel',
    });
    await settle();
    expect(app.slack.calls.slice(before).map((call) => call.method)).toEqual([]);
  });

  it('answers a direct message as /papers would, in a thread of the DM, and follows up there', async () => {
    const ts = nextTs();
    await send({ type: 'message', channel: 'D0901', channel_type: 'im', user: 'U0002', text: 'distillation', ts, client_msg_id: 'c-1' });
    const { ts: answerTs, call } = await postedMessage(app.slack, 'D0901', ts);
    expect(shownText(call.args)).toContain('distillation');
    const final = await finalUpdate(app.slack, 'D0901', answerTs);
    expect(shownText(final.args)).toContain('Dual-Head Knowledge Distillation');
    expect(shownText(final.args)).not.toContain('/invite');

    await send({
      type: 'message',
      channel: 'D0901',
      channel_type: 'im',
      user: 'U0002',
      text: 'Which one adds an auxiliary head?',
      ts: nextTs(),
      thread_ts: ts,
    });
    await app.slack.waitFor(() => (repliesIn('D0901', ts).length === 2 ? true : undefined));
    await settle();
    expect(repliesIn('D0901', ts)).toHaveLength(2);
  });

  it('answers "help" in a DM with the usage, in the thread', async () => {
    const ts = nextTs();
    await send({ type: 'message', channel: 'D0902', channel_type: 'im', user: 'U0002', text: 'help', ts });
    const { call } = await postedMessage(app.slack, 'D0902', ts);
    expect(shownText(call.args)).toContain('/papers subscribe');
  });

  it('says how to enable follow-ups when it answered in a public channel it is not a member of', async () => {
    app.slack.excludeBotFrom('C0904', 'public-postable');
    const ts = await answerIn('C0904');
    const final = updatesOf(app.slack, 'C0904', ts).at(-1)!;
    expect(shownText(final.args)).toContain(
      "I'm not in this channel, so I won't see replies in this thread. Invite me with `/invite @Paperboy`",
    );
    const member = await answerIn('C0905');
    expect(shownText(updatesOf(app.slack, 'C0905', member).at(-1)!.args)).not.toContain('/invite');
  });
});

describe('streamed answers in Slack show only checked text', () => {
  let app: TestApp;
  let llm: OpenAiTestServer;
  beforeAll(async () => {
    llm = await startOpenAiServer();
    app = await startTestApp({ llmBaseURL: llm.baseURL, timing: { updateIntervalMs: 50 } });
  });
  afterAll(async () => {
    await app.close();
    await llm.close();
  });

  /** The synthesis block of every edit of message `ts`, interim and final. */
  const synthesisEdits = (channel: string, ts: string) =>
    updatesOf(app.slack, channel, ts).map((call) =>
      JSON.stringify((call.args.blocks as Array<{ block_id?: string }>).filter((block) => block.block_id === 'synthesis')),
    );

  it('a reasoning model streaming <think>…</think> before its bullets: no thinking in any interim edit', async () => {
    // DeepSeek-R1 / Qwen3 on Ollama or llama.cpp: thinking inline in content, a token at a time.
    const reply =
      '<think>\nOkay, so I need to relate these papers. Maybe combine [3] and [4] somehow.\nLet me check [1] again.\n</think>\n\n' +
      '- Dual-head distillation adds an auxiliary head to the student [1].\n- Other papers distil teachers into students as well [2].\n';
    llm.enqueue({ type: 'stream', chunks: reply.match(/[\s\S]{1,6}/g)!, chunkDelayMs: 15 });
    await app.send(slashCommand({ text: 'distillation', channel_id: 'C0911', response_url: app.slack.responseUrl('C0911') }));
    const { ts } = await postedMessage(app.slack, 'C0911');
    await finalUpdate(app.slack, 'C0911', ts);
    const edits = synthesisEdits('C0911', ts);
    expect(edits.length).toBeGreaterThan(1);
    for (const edit of edits) expect(edit).not.toMatch(/think|Okay|somehow|check \[1\]/);
    expect(edits.at(-1)).toContain('adds an auxiliary head to the student [1]');
  });

  it('a link the model writes never appears, not even in an interim edit', async () => {
    const reply =
      '- Dual-head distillation adds an auxiliary head, see https://evil.example/x for code [1].\n- Other papers distil teachers into students as well [2].\n';
    llm.enqueue({ type: 'stream', chunks: reply.match(/[\s\S]{1,6}/g)!, chunkDelayMs: 15 });
    await app.send(slashCommand({ text: 'knowledge distillation', channel_id: 'C0912', response_url: app.slack.responseUrl('C0912') }));
    const { ts } = await postedMessage(app.slack, 'C0912');
    await finalUpdate(app.slack, 'C0912', ts);
    const edits = synthesisEdits('C0912', ts);
    expect(edits.length).toBeGreaterThan(1);
    for (const edit of edits) expect(edit).not.toMatch(/evil|https:\/\/evil/);
  });

  it('nor in the interim edits of a thread reply', async () => {
    await app.send(slashCommand({ text: 'distillation students', channel_id: 'C0913', response_url: app.slack.responseUrl('C0913') }));
    const { ts: root } = await postedMessage(app.slack, 'C0913');
    await finalUpdate(app.slack, 'C0913', root);
    const reply =
      '- The dual-head paper adds an auxiliary head, code at www.evil.example/code here [1].\n- Students learn from teachers in both papers [2].\n';
    llm.enqueue({ type: 'stream', chunks: reply.match(/[\s\S]{1,6}/g)!, chunkDelayMs: 15 });
    await app.send(
      eventCallback(
        {
          type: 'message',
          channel: 'C0913',
          channel_type: 'channel',
          user: 'U0002',
          text: 'Which adds a head?',
          ts: '1810000099.000001',
          thread_ts: root,
        },
        { eventId: 'EvLinkReply' },
      ),
    );
    const { ts } = await postedMessage(app.slack, 'C0913', root);
    await finalUpdate(app.slack, 'C0913', ts);
    const edits = updatesOf(app.slack, 'C0913', ts).map((call) => JSON.stringify(call.args.blocks));
    expect(edits.length).toBeGreaterThan(1);
    for (const edit of edits) expect(edit).not.toContain('evil');
  });
});
