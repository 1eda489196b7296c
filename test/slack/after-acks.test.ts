import { setImmediate as nextTurn } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { blockAction, slashCommand } from '../../src/fake-slack/signed-requests.js';
import { createAckGate } from '../../src/slack/after-acks.js';
import { finalUpdate, postedMessage } from '../support/slack-messages.js';
import { startTestApp, type TestApp } from '../support/slack-app.js';

describe('createAckGate', () => {
  it('lets answers start in the order they were acknowledged', async () => {
    const afterAcks = createAckGate();
    const started: number[] = [];
    await Promise.all([1, 2, 3].map((n) => afterAcks().then(() => started.push(n))));
    expect(started).toEqual([1, 2, 3]);
  });

  it('starts an answer on the next turn once acknowledgements pause', async () => {
    let clock = 0;
    const afterAcks = createAckGate({ quietMs: 1, now: () => clock });
    let started = false;
    void afterAcks().then(() => (started = true));
    clock = 1;
    await nextTurn();
    await nextTurn();
    expect(started).toBe(true);
  });

  it('holds answers back while acknowledgements keep coming, for at most maxTurns', async () => {
    let clock = 0;
    const afterAcks = createAckGate({ quietMs: 1, maxTurns: 20, now: () => clock });
    let turns = 0;
    let started: number | undefined;
    void afterAcks().then(() => (started = turns));
    // A request acknowledged every 0.5 ms, as in a burst of new connections.
    while (started === undefined && turns < 100) {
      await nextTurn();
      turns++;
      clock += 0.5;
      void afterAcks();
    }
    expect(started).toBeGreaterThanOrEqual(19);
    expect(started).toBeLessThanOrEqual(21);
  });
});

// The gate every listener must pass between ack() and its work, replaced by one the test opens: a
// listener that skipped the gate (or worked before it) would post while the gate is still shut.
const gate = vi.hoisted(() => {
  let release = () => {};
  let shut: Promise<void> | undefined;
  const state = {
    waiting: 0,
    hold() {
      shut = new Promise<void>((resolve) => (release = resolve));
    },
    open() {
      release();
      shut = undefined;
    },
    pass: () => {
      state.waiting++;
      return shut ?? Promise.resolve();
    },
  };
  return state;
});
vi.mock('../../src/slack/after-acks.js', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../src/slack/after-acks.js')>()),
  afterPendingAcks: () => gate.pass(),
}));

describe('listeners acknowledge Slack, then wait at the ack gate before any work', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => {
    gate.open();
    await app.close();
  });

  const postsIn = (channel: string) => app.slack.calls.filter((call) => call.args.channel === channel || call.args.id === channel);

  it('/papers: acked while the gate is shut, answered only once it opens', async () => {
    gate.hold();
    const before = gate.waiting;
    const ack = await app.send(slashCommand({ text: 'distillation', channel_id: 'C0801', response_url: app.slack.responseUrl('C0801') }));
    expect(ack.status).toBe(200);
    await app.slack.waitFor(() => gate.waiting > before);
    expect(postsIn('C0801')).toEqual([]);
    gate.open();
    const { ts } = await postedMessage(app.slack, 'C0801');
    await finalUpdate(app.slack, 'C0801', ts);
  });

  for (const actionId of ['paper_summarize:1', 'paper_more_like:1']) {
    it(`${actionId.split(':')[0]}: acked while the gate is shut, posts in the thread only once it opens`, async () => {
      const channel = actionId.startsWith('paper_summarize') ? 'C0802' : 'C0803';
      await app.send(slashCommand({ text: 'distillation', channel_id: channel, response_url: app.slack.responseUrl(channel) }));
      const { ts: root } = await postedMessage(app.slack, channel);
      await finalUpdate(app.slack, channel, root);
      const paperId = app.index.search('distillation', { limit: 1 })[0]!.paper.id;
      const threadPosts = () => app.slack.callsOf('chat.postMessage').filter((call) => call.args.thread_ts === root);

      gate.hold();
      const before = gate.waiting;
      const ack = await app.send(
        blockAction({
          actionId,
          value: paperId,
          channelId: channel,
          messageTs: root,
          responseUrl: app.slack.responseUrl(`${channel}-click`),
        }),
      );
      expect(ack.status).toBe(200);
      await app.slack.waitFor(() => gate.waiting > before);
      expect(threadPosts()).toEqual([]);
      gate.open();
      await app.slack.waitFor(() => threadPosts()[0]);
    });
  }
});
