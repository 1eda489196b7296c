import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCorpus } from '../../src/papers/corpus.js';
import { seedTrending } from '../../src/papers/library.js';
import { DEFAULT_CORPUS } from '../../src/paths.js';
import { TEAM_ID } from '../../src/fake-slack/web-api.js';
import { blockAction, eventCallback, slashCommand } from '../../src/fake-slack/signed-requests.js';
import { startTestApp, type TestApp } from '../support/slack-app.js';
import { postedMessage, shownText } from '../support/slack-messages.js';

describe('/papers recommend, /papers library and the learned interests on App Home', () => {
  let app: TestApp;
  const seed = loadCorpus(DEFAULT_CORPUS).papers;
  const distillation = seed.filter((paper) => /distill/i.test(paper.title));
  let commands = 0;

  beforeAll(async () => {
    app = await startTestApp();
    await seedTrending(app.store, seed);
  });
  afterAll(async () => {
    await app.close();
  });

  async function run(text: string, channel: string, userId = 'U0400') {
    const id = `cmd${++commands}`;
    await app.send(slashCommand({ text, channel_id: channel, user_id: userId, response_url: app.slack.responseUrl(id) }));
    return id;
  }
  const responseTo = (id: string) =>
    app.slack.waitFor((calls) => calls.find((call) => call.method === 'response_url' && call.args.id === id));
  const vote = (channelId: string, paperId: string, value: 1 | -1, userId = 'U0400') =>
    app.store.recordFeedback({ teamId: TEAM_ID, channelId, userId, paperId, value });

  it("with no votes: the trending order, saying it has not learned yet; with votes: the channel's taste, in its words", async () => {
    await run('recommend', 'C0401');
    const untaught = await postedMessage(app.slack, 'C0401');
    const shown = shownText(untaught.call.args);
    expect(shown).toContain('Recommended for this channel');
    expect(shown).toContain('I have no votes from here yet');
    expect(shown).toContain(`"value":"${seed[0]!.id}"`);
    expect(shown).toContain('paper_like:1');

    for (const paper of distillation.slice(0, 2)) await vote('C0402', paper.id, 1);
    await vote('C0402', seed[0]!.id, -1);
    await run('recommend', 'C0402');
    const taught = shownText((await postedMessage(app.slack, 'C0402')).call.args);
    expect(taught).not.toContain('I have no votes from here yet');
    expect(taught).toMatch(/Why: picked for this channel: [^_]*distill/i);
    // Papers it voted on are not recommended again.
    for (const paper of [...distillation.slice(0, 2), seed[0]!]) expect(taught).not.toContain(`"value":"${paper.id}"`);
  });

  it('in a DM, recommends for the person', async () => {
    await vote('D0400', distillation[0]!.id, 1);
    await run('recommend', 'D0400');
    expect(shownText((await postedMessage(app.slack, 'D0400')).call.args)).toContain('Recommended for you');
  });

  it("/papers library lists the conversation's 👍'd papers and how to export them", async () => {
    const empty = await responseTo(await run('library', 'C0403'));
    expect(String(empty.args.text)).toMatch(/reading list is empty/);
    await vote('C0403', distillation[0]!.id, 1);
    await vote('C0403', distillation[1]!.id, 1);
    await vote('C0403', distillation[1]!.id, -1, 'U0401');
    const listed = await responseTo(await run('library', 'C0403'));
    const text = JSON.stringify(listed.args.blocks);
    expect(listed.args.response_type).toBe('ephemeral');
    expect(text).toContain(distillation[0]!.title.slice(0, 30));
    expect(text).not.toContain(distillation[1]!.title.slice(0, 30));
    expect(text).toContain('paperboy library --channel C0403 --bibtex');
  });

  it('App Home shows what the person\'s model learned, and "Forget this" starts it over', async () => {
    await vote('D0410', distillation[0]!.id, 1, 'U0410');
    await vote('D0410', distillation[1]!.id, 1, 'U0410');
    await app.store.recordClue(TEAM_ID, 'D0410', 'U0410', { kind: 'search', query: 'knowledge distillation' });
    const publishes = () => app.slack.callsOf('views.publish').filter((call) => call.args.user_id === 'U0410');
    await app.send(eventCallback({ type: 'app_home_opened', user: 'U0410', channel: 'D0410', tab: 'home' }, { eventId: 'EvHome410' }));
    const first = await app.slack.waitFor(() => publishes()[0]);
    const shown = JSON.stringify(first.args.view);
    expect(shown).toContain('What I learned you like');
    expect(shown).toMatch(/What I learned you like\*\\n[^"]*distillation/);
    expect(shown).toContain('"action_id":"interests_reset"');

    await app.send(
      blockAction({
        actionId: 'interests_reset',
        value: 'D0410',
        userId: 'U0410',
        channelId: 'D0410',
        messageTs: '1',
        responseUrl: app.slack.responseUrl('reset'),
      }),
    );
    const second = await app.slack.waitFor(() => publishes()[1]);
    expect(JSON.stringify(second.args.view)).toContain('Nothing yet: 👍 / 👎 papers in a DM with me');
    // The reading list survives a reset.
    expect(await app.store.channelLibrary(TEAM_ID, 'D0410', 10)).toHaveLength(2);
  });
});
