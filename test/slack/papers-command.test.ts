import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEAM_ID } from '../../src/fake-slack/web-api.js';
import { startOpenAiServer, type OpenAiTestServer } from '../support/openai-server.js';
import { startTestApp, type TestApp } from '../support/slack-app.js';
import { slashCommand } from '../../src/fake-slack/signed-requests.js';
import { finalUpdate, isFinished, postedMessage, shownText, updatesOf } from '../support/slack-messages.js';

describe('/papers <topic>, extractive (no LLM configured)', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => {
    await app.close();
  });

  it('acks at once, posts the papers in the channel, then the finished answer, and remembers the thread', async () => {
    const ack = await app.send(slashCommand({ text: 'distillation', channel_id: 'C0001', response_url: app.slack.responseUrl('r1') }));
    expect(ack.status).toBe(200);

    const { ts, call } = await postedMessage(app.slack, 'C0001');
    expect(shownText(call.args)).toContain('Papers on “distillation”');
    expect(shownText(call.args)).toContain('Reading the papers…');
    const final = await finalUpdate(app.slack, 'C0001', ts);
    const shown = shownText(final.args);
    expect(shown).toContain('Dual-Head Knowledge Distillation');
    expect(shown).toMatch(/extractive summary/i);
    expect(shown).toMatch(/paper_summarize:1/);

    const thread = await app.store.getThread({ teamId: TEAM_ID, channelId: 'C0001', threadTs: ts });
    expect(thread?.query).toBe('distillation');
    const dualHead = app.index.search('Dual-Head Knowledge Distillation', { limit: 1 })[0]!.paper.id;
    expect(thread?.paperIds).toContain(dualHead);
    expect(await app.store.recentSearches(TEAM_ID, 'U0001', 5)).toEqual(['distillation']);
    expect(app.slack.callsOf('response_url')).toHaveLength(0);
  });
});

describe('/papers <topic>, with a streaming LLM', () => {
  let llm: OpenAiTestServer;
  let app: TestApp;
  beforeAll(async () => {
    llm = await startOpenAiServer({ chunkDelayMs: 15 });
    app = await startTestApp({ llmBaseURL: llm.baseURL, timing: { updateIntervalMs: 250 } });
  });
  afterAll(async () => {
    await app.close();
    await llm.close();
  });

  it('edits the message as the answer streams, at most once per interval, then shows the cited answer', async () => {
    const ack = await app.send(
      slashCommand({ text: 'knowledge distillation', channel_id: 'C0002', response_url: app.slack.responseUrl('r2') }),
    );
    expect(ack.status).toBe(200);
    const { ts } = await postedMessage(app.slack, 'C0002');
    const final = await finalUpdate(app.slack, 'C0002', ts);
    expect(shownText(final.args)).toMatch(/\[1\]/);
    expect(shownText(final.args)).not.toMatch(/extractive/i);

    const updates = updatesOf(app.slack, 'C0002', ts);
    const interim = updates.filter((update) => !isFinished(update.args));
    expect(interim.length).toBeGreaterThan(0);
    expect(updates.at(-1)).toBe(final);
  });

  // The interval itself, without timing the edits' arrival (which load delays unevenly): with an
  // interval longer than the whole answer, the message gets one interim edit at most, then the final.
  it('edits no more often than the update interval allows', async () => {
    const slow = await startTestApp({ llmBaseURL: llm.baseURL, timing: { updateIntervalMs: 60_000 } });
    try {
      await slow.send(slashCommand({ text: 'knowledge distillation', channel_id: 'C0003', response_url: slow.slack.responseUrl('r3') }));
      const { ts } = await postedMessage(slow.slack, 'C0003');
      const final = await finalUpdate(slow.slack, 'C0003', ts);
      expect(shownText(final.args)).toMatch(/\[1\]/);
      const interim = updatesOf(slow.slack, 'C0003', ts).filter((update) => !isFinished(update.args));
      expect(interim.length).toBeLessThanOrEqual(1);
    } finally {
      await slow.close();
    }
  });
});
