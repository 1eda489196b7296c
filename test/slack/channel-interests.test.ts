import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEAM_ID } from '../../src/fake-slack/web-api.js';
import { blockAction, eventCallback } from '../../src/fake-slack/signed-requests.js';
import { loadCorpus } from '../../src/papers/corpus.js';
import { seedTrending } from '../../src/papers/library.js';
import { DEFAULT_CORPUS } from '../../src/paths.js';
import { openPostgresStore } from '../../src/store/postgres.js';
import type { AppStore } from '../../src/store/store.js';
import { startTestApp, type TestApp } from '../support/slack-app.js';

const url = process.env.PAPERBOY_TEST_DATABASE_URL;
const seed = loadCorpus(DEFAULT_CORPUS).papers;
const distillation = seed.filter((paper) => /distill/i.test(paper.title));
const subscription = { teamId: TEAM_ID, time: '09:00', timeZone: 'UTC', days: 'daily' as const, topics: '', createdBy: 'U1' };

/**
 * App Home's per-channel learned interests, through the real Bolt app (signed requests) against the fake
 * Slack Web API, which checks every published view's Block Kit (confirmation dialogs included).
 */
function describeChannelInterests(name: string, open: () => Promise<{ store?: AppStore; close: () => Promise<void> }>): void {
  describe(`App Home: each channel's learned interests, with a guarded reset (${name})`, () => {
    let app: TestApp;
    let closeStore: () => Promise<void>;

    beforeAll(async () => {
      const opened = await open();
      closeStore = opened.close;
      app = await startTestApp(opened.store ? { store: opened.store } : {});
      await seedTrending(app.store, seed);
      app.slack.setMembers('C0501', ['U0501']);
      app.slack.setMembers('C0502', ['U0999']);
      for (const channelId of ['C0501', 'C0502', 'C0503']) await app.store.saveSubscription({ ...subscription, channelId });
      app.slack.setMembers('C0503', ['U0501']);
      const vote = (channelId: string, paperId: string, value: 1 | -1, userId = 'U0501') =>
        app.store.recordFeedback({ teamId: TEAM_ID, channelId, userId, paperId, value });
      await vote('C0501', distillation[0]!.id, 1);
      await vote('C0501', distillation[1]!.id, 1, 'U0502');
      await vote('C0501', seed[0]!.id, -1);
      await vote('C0502', distillation[0]!.id, 1, 'U0999');
    });
    afterAll(async () => {
      await app.close();
      await closeStore();
    });

    const publishes = (user: string) =>
      app.slack.callsOf('views.publish').filter((call) => call.args.user_id === user && call.response?.ok);
    async function openHome(user: string, eventId: string): Promise<string> {
      const before = publishes(user).length;
      await app.send(eventCallback({ type: 'app_home_opened', user, channel: 'D0501', tab: 'home' }, { eventId }));
      return JSON.stringify((await app.slack.waitFor(() => publishes(user)[before])).args.view);
    }

    it("shows the strongest terms and vote count of each channel the person is in, never another channel's", async () => {
      const shown = await openHome('U0501', 'EvChannelHome1');
      expect(shown).toContain('What each channel’s digest learned');
      expect(shown).toMatch(/<#C0501>: [^"]*distill/i);
      expect(shown).toContain('Learned from 3 votes in the channel');
      expect(shown).toContain('<#C0503>: nothing learned yet');
      expect(shown).not.toContain('C0502');
      const view = JSON.parse(shown) as { blocks: Array<{ accessory?: Record<string, unknown> }> };
      const reset = view.blocks.find((block) => block.accessory?.action_id === 'channel_interests_reset:C0501')!.accessory!;
      expect(reset.value).toBe('C0501 D0501');
      expect(reset.confirm).toMatchObject({
        title: { type: 'plain_text' },
        confirm: { text: 'Reset' },
        deny: { text: 'Cancel' },
        style: 'danger',
      });
    });

    it('Reset (once confirmed) forgets what the channel learned from the next digest on, records who and when, keeps the votes', async () => {
      const before = publishes('U0501').length;
      await app.send(
        blockAction({
          actionId: 'channel_interests_reset:C0501',
          value: 'C0501 D0501',
          userId: 'U0501',
          channelId: 'D0501',
          messageTs: '1',
          responseUrl: app.slack.responseUrl('reset'),
        }),
      );
      const redrawn = JSON.stringify((await app.slack.waitFor(() => publishes('U0501')[before])).args.view);
      expect(redrawn).toContain('<#C0501>: nothing learned yet');
      expect(await app.store.lastLearningReset(TEAM_ID, 'C0501')).toEqual({ userId: 'U0501', at: expect.any(Date) });
      // What the next digest learns from is empty; the 👎 still keeps its paper out, the 👍s stay on the reading list.
      const votes = await app.store.channelVotes(TEAM_ID, 'C0501');
      expect(votes.signals.votes).toEqual([]);
      expect(votes.disliked).toEqual([seed[0]!.id]);
      expect(await app.store.channelLibrary(TEAM_ID, 'C0501', 10)).toHaveLength(2);

      // A new vote teaches it again, and Home says since when and who reset it.
      await app.store.recordFeedback({ teamId: TEAM_ID, channelId: 'C0501', userId: 'U0501', paperId: distillation[2]!.id, value: 1 });
      const again = await openHome('U0501', 'EvChannelHome2');
      expect(again).toMatch(/Learned from 1 vote in the channel since its reset by <@U0501> on \d{4}-\d\d-\d\d/);
    });

    it("refuses a reset from someone who is not in the channel (the button's value is not trusted)", async () => {
      const before = app.slack.callsOf('views.publish').length;
      await app.send(
        blockAction({
          actionId: 'channel_interests_reset:C0502',
          value: 'C0502 D0501',
          userId: 'U0501',
          messageTs: '1',
          responseUrl: app.slack.responseUrl('reset'),
        }),
      );
      await app.slack.waitFor((calls) => calls.find((call) => call.method === 'conversations.members' && call.args.channel === 'C0502'));
      expect(await app.store.lastLearningReset(TEAM_ID, 'C0502')).toBeUndefined();
      expect((await app.store.channelVotes(TEAM_ID, 'C0502')).signals.votes).toHaveLength(1);
      expect(app.slack.callsOf('views.publish').length).toBe(before);
    });
  });
}

describeChannelInterests('SQLite', async () => ({ close: async () => {} }));

if (url) {
  const schema = `paperboy_test_${randomBytes(6).toString('hex')}`;
  describeChannelInterests('Postgres', async () => {
    const store = await openPostgresStore(url, { schema });
    return {
      store,
      close: async () => {
        await store.close();
        const admin = new pg.Pool({ connectionString: url });
        await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        await admin.end();
      },
    };
  });
}
