import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/lib/logger.js';
import { composeDigest, deliverDigest, type DigestDeps } from '../../src/digest/deliver.js';
import { runDueDigests } from '../../src/digest/scheduler.js';
import type { Subscription } from '../../src/digest/subscription.js';
import { loadCorpus } from '../../src/papers/corpus.js';
import { DEFAULT_CORPUS } from '../../src/paths.js';
import { TEAM_ID } from '../../src/fake-slack/web-api.js';
import { eventCallback } from '../../src/fake-slack/signed-requests.js';
import { createSlackDigestPublisher, DIGEST_EVENT_TYPE } from '../../src/slack/digest-publisher.js';
import { startOpenAiServer, type OpenAiTestServer } from '../support/openai-server.js';
import { startTestApp, type TestApp } from '../support/slack-app.js';
import { finalUpdate, postedMessage, shownText } from '../support/slack-messages.js';
import { storedTurns } from '../support/stored-turns.js';

/** The seed corpus's trending day (a Friday), and the Monday whose 09:00 Paris digests carry it. */
const LIST = '2025-03-28';
const DAY = '2025-03-31';
const DUE = new Date(`${DAY}T08:00:00Z`);

describe('digests in Slack', () => {
  let llm: OpenAiTestServer;
  let app: TestApp;
  let deps: DigestDeps;
  beforeAll(async () => {
    llm = await startOpenAiServer();
    app = await startTestApp({ llmBaseURL: llm.baseURL });
    await app.store.upsertPapers(loadCorpus(DEFAULT_CORPUS).papers);
    await app.store.markDayClosed('2025-03-28', 68);
    await app.store.markDayClosed('2025-03-29', 0);
    await app.store.markDayClosed('2025-03-30', 0);
    const publisher = createSlackDigestPublisher({ clientFor: app.clientFor, logger: silentLogger });
    deps = {
      store: app.store,
      index: app.index,
      answerer: app.answerer,
      publisher,
      owner: 'test-process',
      leaseMs: 60_000,
      now: () => DUE,
    };
  });
  afterAll(async () => {
    await app.close();
    await llm.close();
  });

  const subscription = (channelId: string, extra: Partial<Subscription> = {}): Subscription => ({
    teamId: TEAM_ID,
    channelId,
    time: '09:00',
    timeZone: 'Europe/Paris',
    days: 'weekdays',
    topics: '',
    createdBy: 'U0001',
    ...extra,
  });
  const digestPosts = (channel: string) =>
    app.slack.callsOf('chat.postMessage').filter((call) => call.args.channel === channel && call.response?.ok && call.args.metadata);

  it('posts the digest with its metadata, stores its thread, and answers a reply in it from its papers', async () => {
    expect(await deliverDigest(subscription('C0501', { topics: 'distillation' }), DAY, deps)).toBe('posted');
    const [post] = digestPosts('C0501');
    const ts = String(post!.response!.ts);
    const thread = await app.store.getThread({ teamId: TEAM_ID, channelId: 'C0501', threadTs: ts });
    expect(thread).toMatchObject({ kind: 'digest' });
    // Form bodies carry booleans as strings.
    expect(post!.args).toMatchObject({
      unfurl_links: 'false',
      metadata: {
        event_type: DIGEST_EVENT_TYPE,
        event_payload: { date: DAY, trending_date: LIST, paper_ids: JSON.stringify(thread!.paperIds) },
      },
    });
    const shown = shownText(post!.args);
    expect(shown).toContain(`Trending papers · ${LIST} · distillation`);
    expect(shown).toMatch(/Why: #\d+ trending.*matches your topics: distillation/);
    expect(shown).toContain('TL;DR:*');
    expect(shown).toContain('paper_summarize:1');
    expect(shown).toContain('Reply in this thread to ask about these papers.');

    await app.send(
      eventCallback(
        {
          type: 'message',
          channel: 'C0501',
          channel_type: 'channel',
          user: 'U0002',
          text: 'Which of these is the most practical?',
          ts: '1800000001.000001',
          thread_ts: ts,
        },
        { eventId: 'EvDigestReply' },
      ),
    );
    const { ts: replyTs } = await postedMessage(app.slack, 'C0501', ts);
    await finalUpdate(app.slack, 'C0501', replyTs);
    const turns = await storedTurns(app.store, { teamId: TEAM_ID, channelId: 'C0501', threadTs: ts }, 2);
    expect(turns.map((turn) => turn.role)).toEqual(['user', 'assistant']);
    const titles = thread!.paperIds.map((id) => app.index.get(id)!.title);
    expect(titles.some((title) => turns[1]!.text.includes(title))).toBe(true);
  });

  it("adopts the digest a crashed process posted, found by its metadata among the channel's messages, instead of posting again", async () => {
    const sub = subscription('C0502');
    const key = { teamId: TEAM_ID, channelId: 'C0502', date: DAY };
    // A process claimed the digest, posted it and died before recording it; its lease has run out.
    const dead = await app.store.claimDigest(key, 'dead-process', -1);
    expect(await app.store.markDigestSending(key, 'dead-process', dead.claimed ? dead.fence : 0, -1)).toBe(true);
    const composed = await composeDigest(sub, DAY, deps, { at: DUE });
    if (composed.kind !== 'digest') throw new Error(`nothing composed: ${composed.kind}`);
    const lost = await deps.publisher.publish(composed.digest);
    const client = await app.clientFor(TEAM_ID);
    await client.chat.postMessage({
      channel: 'C0502',
      text: 'yesterday',
      metadata: { event_type: DIGEST_EVENT_TYPE, event_payload: { date: '2025-03-27' } },
    });
    app.slack.addChannelChatter('C0502', 1000);

    expect(await deliverDigest(sub, DAY, deps)).toBe('adopted');
    expect(digestPosts('C0502')).toHaveLength(2);
    const pages = app.slack.callsOf('conversations.history').filter((call) => call.args.channel === 'C0502');
    expect(pages.length).toBeGreaterThan(1);
    expect(pages[0]!.args).toMatchObject({ include_all_metadata: 'true', limit: '999' });
    const thread = await app.store.getThread({ teamId: TEAM_ID, channelId: 'C0502', threadTs: lost });
    expect(thread?.kind).toBe('digest');
    expect(await app.store.postedPaperIds(TEAM_ID, 'C0502', DAY)).toEqual(new Set(thread!.paperIds));
    expect(await deliverDigest(sub, DAY, deps)).toBe('already-posted');
  });

  it('posts a digest once the crashed process is found not to have posted it', async () => {
    await app.store.claimDigest({ teamId: TEAM_ID, channelId: 'C0503', date: DAY }, 'dead-process', -1);
    expect(await deliverDigest(subscription('C0503'), DAY, deps)).toBe('posted');
    expect(digestPosts('C0503')).toHaveLength(1);
  });

  it('gets every channel of two rate-limited workspaces exactly one digest through a storm of 429s', async () => {
    app.slack.addWorkspace('T0002');
    app.slack.limitRates({ teamPerMinute: 120, teamBurst: 2 });
    const channels = [
      ...['C0511', 'C0512', 'C0513', 'C0514'].map((c) => subscription(c)),
      ...['C0521', 'C0522', 'C0523'].map((c) => subscription(c, { teamId: 'T0002' })),
    ];
    try {
      for (const sub of channels) await app.store.saveSubscription(sub);
      const report = await runDueDigests(DUE, deps);
      expect(report).toEqual({ due: channels.length, outcomes: { posted: channels.length } });
    } finally {
      app.slack.limitRates(undefined);
    }
    for (const { channelId } of channels) expect(digestPosts(channelId)).toHaveLength(1);
    const limited = app.slack.callsOf('chat.postMessage').filter((call) => call.status === 429);
    expect(limited.length).toBeGreaterThan(0);
    // Channels already served cost nothing: not even a claim.
    expect(await runDueDigests(DUE, deps)).toEqual({ due: 0, outcomes: {} });
  });
});
