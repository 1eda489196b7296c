import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEAM_ID } from '../../src/fake-slack/web-api.js';
import { eventCallback, slashCommand } from '../../src/fake-slack/signed-requests.js';
import { startTestApp, type TestApp } from '../support/slack-app.js';

describe('/papers subscribe, unsubscribe, subscriptions', () => {
  let app: TestApp;
  let commands = 0;
  beforeAll(async () => {
    app = await startTestApp({ freshness: () => 'Papers up to 2025-03-28, updated <1 hour ago' });
  });
  afterAll(async () => {
    await app.close();
  });

  /** Runs the command and resolves with the private reply Slack accepted, as shown. */
  async function run(text: string, channel = 'C0401', user = 'U0001'): Promise<string> {
    const id = `sub${++commands}`;
    const ack = await app.send(slashCommand({ text, channel_id: channel, user_id: user, response_url: app.slack.responseUrl(id) }));
    expect(ack.status).toBe(200);
    const reply = await app.slack.waitFor((calls) => calls.find((call) => call.method === 'response_url' && call.args.id === id));
    expect(reply.response).toEqual({ ok: true });
    expect(reply.args).toMatchObject({ response_type: 'ephemeral' });
    return `${String(reply.args.text)}\n${reply.args.blocks ? JSON.stringify(reply.args.blocks) : ''}`;
  }

  it("subscribes with the defaults: 09:00 on weekdays in the subscriber's Slack time zone, everything trending", async () => {
    const shown = await run('subscribe', 'C0401');
    expect(shown).toContain('<#C0401> will get the trending papers digest: *Every weekday at 09:00 Europe/Paris, everything trending*');
    expect(shown).toContain('/papers unsubscribe');
    expect(await app.store.getSubscription(TEAM_ID, 'C0401')).toEqual({
      teamId: TEAM_ID,
      channelId: 'C0401',
      time: '09:00',
      timeZone: 'Europe/Paris',
      days: 'weekdays',
      topics: '',
      createdBy: 'U0001',
    });
    const asked = app.slack.callsOf('users.info').at(-1)!;
    expect(asked.args.user).toBe('U0001');
  });

  it("takes the time zone from the subscriber's Slack profile, or UTC when it has none", async () => {
    app.slack.setUserTimeZone('U0402', 'America/New_York');
    expect(await run('subscribe 7am distillation', 'C0402', 'U0402')).toContain(
      'Every weekday at 07:00 America/New_York, papers on: distillation',
    );
    app.slack.setUserTimeZone('U0403', undefined);
    expect(await run('subscribe', 'C0403', 'U0403')).toContain('Every weekday at 09:00 UTC, everything trending');
  });

  it('saves explicit settings, says what they replaced, and escapes the topics', async () => {
    await run('subscribe', 'C0404');
    const shown = await run('subscribe 17:30 Asia/Tokyo daily <!channel> diffusion & <@U9>', 'C0404');
    expect(shown).toContain('*Every day at 17:30 Asia/Tokyo, papers on: &lt;!channel&gt; diffusion &amp; &lt;@U9&gt;*');
    expect(shown).toContain('This replaces: Every weekday at 09:00 Europe/Paris, everything trending.');
    expect(shown).not.toMatch(/<!channel>|<@U9>/);
    expect(await app.store.getSubscription(TEAM_ID, 'C0404')).toMatchObject({
      time: '17:30',
      timeZone: 'Asia/Tokyo',
      days: 'daily',
      topics: '<!channel> diffusion & <@U9>',
    });
  });

  it.each([
    ['subscribe 25:00', '"25:00" is not a time of day'],
    ['subscribe 09:00 Mars/Olympus_Mons', '"Mars/Olympus_Mons" is not a time zone I know'],
    [`subscribe ${'long '.repeat(50)}`, 'Topics are limited to 200 characters'],
  ])('refuses "%s" and says what it expected, saving nothing', async (text, error) => {
    const shown = await run(text, 'C0405');
    expect(shown).toContain(error);
    expect(shown).toContain(
      'Usage: `/papers subscribe [trending|arxiv] [arXiv categories] [HH:MM] [time zone] [daily|weekdays] [topic words]`',
    );
    expect(await app.store.getSubscription(TEAM_ID, 'C0405')).toBeUndefined();
  });

  it('reads `8:30 pm PST` as a time and a zone, and says when the topics match no paper, with close terms', async () => {
    const shown = await run('subscribe 8:30 pm PST zqxjvw', 'C0408');
    expect(shown).toContain('Every weekday at 20:30 America/Los_Angeles, papers on: zqxjvw');
    expect(shown).toMatch(/No paper I have matches “zqxjvw”, so this digest would be empty\./);
    const clear = await run('subscribe diffusion', 'C0409');
    expect(clear).not.toContain('No paper I have matches');
  });

  it('asks to be invited into a channel it is not in, public or private, and saves nothing', async () => {
    app.slack.excludeBotFrom('C0406');
    app.slack.excludeBotFrom('G0407', 'private');
    for (const channel of ['C0406', 'G0407']) {
      const shown = await run('subscribe', channel);
      expect(shown).toContain('I am not in this channel');
      expect(shown).toContain('Invite me with `/invite @Paperboy`, then subscribe again');
      expect(await app.store.getSubscription(TEAM_ID, channel)).toBeUndefined();
    }
  });

  it('unsubscribes, saying whether there was a digest to stop', async () => {
    await run('subscribe 08:00 distillation', 'C0408');
    expect(await run('unsubscribe', 'C0408')).toContain(
      'Done: <#C0408> will get no more digests of this kind (it was: Every weekday at 08:00 Europe/Paris, papers on: distillation)',
    );
    expect(await app.store.getSubscription(TEAM_ID, 'C0408')).toBeUndefined();
    expect(await run('unsubscribe', 'C0408')).toContain('<#C0408> has no digest to stop');
    expect(await run('unsubscribe C0401', 'C0408')).toContain('`/papers unsubscribe [trending|arxiv]`');
  });

  it('subscribes a channel to the arXiv digest beside its trending one, shows both, and stops each on its own', async () => {
    // No arXiv papers: it says how to turn arXiv on, saves nothing, and gives the command back.
    const off = await run('subscribe arxiv cs.CL distillation at 9am', 'C0412');
    expect(off).toContain('PAPERBOY_SOURCES=hf,arxiv');
    expect(off).toContain('/papers subscribe arxiv cs.CL distillation at 9am');
    expect(await app.store.getSubscription(TEAM_ID, 'C0412', 'arxiv')).toBeUndefined();
    await app.store.upsertPapers([
      {
        id: '2503.20001',
        title: 'A',
        abstract: '',
        authors: [],
        upvotes: 0,
        links: {},
        keywords: [],
        categories: ['cs.CL'],
        publishedAt: '2025-03-27',
        source: 'arxiv',
      },
    ]);
    expect(await run('subscribe arxiv cs.XX', 'C0412')).toContain('"cs.XX" is not an arXiv category');
    expect(await run('subscribe arxiv cs.CL cs.LG distillation at 9am', 'C0412')).toContain(
      'will get the new-on-arXiv digest: *New on arXiv in cs.CL, cs.LG: Every weekday at 09:00 Europe/Paris, papers on: distillation*',
    );
    await run('subscribe 8am', 'C0412');
    const listed = await run('subscriptions', 'C0412');
    expect(listed).toContain('• <#C0412>: Every weekday at 08:00 Europe/Paris, everything trending');
    expect(listed).toContain('• <#C0412>: New on arXiv in cs.CL, cs.LG: Every weekday at 09:00 Europe/Paris, papers on: distillation');
    expect(await run('unsubscribe', 'C0412')).toContain('This channel gets two digests');
    expect(await run('unsubscribe arxiv', 'C0412')).toContain('Done: <#C0412> will get no more digests of this kind');
    expect(await app.store.getSubscription(TEAM_ID, 'C0412', 'arxiv')).toBeUndefined();
    expect(await app.store.getSubscription(TEAM_ID, 'C0412')).toMatchObject({ time: '08:00' });
  });

  it("lists the workspace's digests, and no other workspace's", async () => {
    await app.store.saveSubscription({
      teamId: 'T0OTHER',
      channelId: 'C0OTHER',
      time: '09:00',
      timeZone: 'UTC',
      days: 'daily',
      topics: 'secret',
      createdBy: 'U1',
    });
    const shown = await run('subscriptions', 'C0409');
    const ours = await app.store.listSubscriptions(TEAM_ID);
    expect(shown).toContain(`*Daily digests in conversations you are in* (${ours.length})`);
    expect(shown).toContain('• <#C0401>: Every weekday at 09:00 Europe/Paris, everything trending');
    expect(shown).toContain('• <#C0402>: Every weekday at 07:00 America/New_York, papers on: distillation');
    expect(shown).not.toContain('C0OTHER');
  });

  it('shows the digests and how fresh the papers are on the Home tab', async () => {
    await app.send(eventCallback({ type: 'app_home_opened', user: 'U0001', channel: 'D0001', tab: 'home' }, { eventId: 'EvHome' }));
    const published = await app.slack.waitFor((calls) => calls.find((call) => call.method === 'views.publish' && call.response?.ok));
    const shown = JSON.stringify(published.args.view);
    expect(shown).toContain('Daily digests in conversations you are in');
    expect(shown).toContain('• <#C0401>: Every weekday at 09:00 Europe/Paris, everything trending');
    expect(shown).toContain('Papers up to 2025-03-28, updated &lt;1 hour ago');
    expect(shown).not.toContain('C0OTHER');
  });

  describe('who sees which digests', () => {
    const secret = { time: '09:00', timeZone: 'UTC', days: 'daily' as const, createdBy: 'U1' };
    beforeAll(async () => {
      app.slack.setMembers('G0410', ['U0002']);
      app.slack.setMembers('D0411', ['U0003']);
      await app.store.saveSubscription({
        teamId: TEAM_ID,
        channelId: 'G0410',
        ...secret,
        topics: 'acquisition of NeuroChip Inc due diligence',
      });
      await app.store.saveSubscription({ teamId: TEAM_ID, channelId: 'D0411', ...secret, topics: 'my medical condition research' });
    });

    async function home(user: string, eventId: string): Promise<string> {
      const before = app.slack.calls.length;
      await app.send(eventCallback({ type: 'app_home_opened', user, channel: 'D0001', tab: 'home' }, { eventId }));
      const published = await app.slack.waitFor((calls) =>
        calls.slice(before).find((call) => call.method === 'views.publish' && call.args.user_id === user && call.response?.ok),
      );
      return JSON.stringify(published.args.view);
    }

    it('/papers subscriptions shows others only that digests exist in conversations they are not in', async () => {
      const outsider = await run('subscriptions', 'C0409', 'U0001');
      expect(outsider).toContain('<#C0401>');
      expect(outsider).not.toMatch(/G0410|D0411|NeuroChip|medical/);
      expect(outsider).toContain('2 other digests run in conversations you are not in');
      const member = await run('subscriptions', 'G0410', 'U0002');
      expect(member).toContain('• <#G0410>: Every day at 09:00 UTC, papers on: acquisition of NeuroChip Inc due diligence');
      expect(member).not.toMatch(/C0401|D0411|medical/);
    });

    it('App Home shows each person the digests of their own conversations, and counts the rest', async () => {
      const outsider = await home('U0001', 'EvHomePrivacy1');
      expect(outsider).not.toMatch(/G0410|D0411|NeuroChip|medical/);
      expect(outsider).toContain('2 other digests run in conversations you are not in');
      const dmOwner = await home('U0003', 'EvHomePrivacy2');
      expect(dmOwner).toContain('• <#D0411>: Every day at 09:00 UTC, papers on: my medical condition research');
      expect(dmOwner).not.toMatch(/G0410|NeuroChip|C0401/);
    });

    it('shows nothing of a digest when Slack cannot say who is in its conversation', async () => {
      app.slack.failNext('conversations.members', { status: 200, error: 'internal_error' }, 1);
      app.slack.setMembers('C0412', ['U0004']);
      await app.store.saveSubscription({ teamId: TEAM_ID, channelId: 'C0412', ...secret, topics: 'quiet topic' });
      // One membership check fails: that conversation is counted, not shown, and the rest still are.
      const shown = await run('subscriptions', 'C0412', 'U0004');
      expect(shown).not.toMatch(/NeuroChip|medical/);
      expect(shown).toMatch(/other digests? runs? in conversations you are not in/);
    });
  });
});
