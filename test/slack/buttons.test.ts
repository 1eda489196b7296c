import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SearchHit } from '../../src/search/types.js';
import { TEAM_ID } from '../../src/fake-slack/web-api.js';
import { startTestApp, type TestApp } from '../support/slack-app.js';
import { blockAction, eventCallback, slashCommand } from '../../src/fake-slack/signed-requests.js';
import { finalUpdate, postedMessage, shownText } from '../support/slack-messages.js';
import { storedTurns } from '../support/stored-turns.js';

describe('paper buttons and the App Home', () => {
  let app: TestApp;
  let root: string;
  let dualHead: SearchHit['paper'];
  let clicks = 0;
  const channel = 'C0300';

  beforeAll(async () => {
    app = await startTestApp();
    await app.send(
      slashCommand({ text: 'distillation', channel_id: channel, user_id: 'U0300', response_url: app.slack.responseUrl('cmd') }),
    );
    root = (await postedMessage(app.slack, channel)).ts;
    await finalUpdate(app.slack, channel, root);
    dualHead = app.index.search('Dual-Head Knowledge Distillation auxiliary head', { limit: 1 })[0]!.paper;
  });
  afterAll(async () => {
    await app.close();
  });

  /** Clicks a button on the answer; resolves with the response_url id the click carried. */
  async function click(actionId: string, paperId: string, userId = 'U0300'): Promise<string> {
    const id = `click${++clicks}`;
    // Slack sends the message as the person sees it with the click.
    const shown = app.slack.message(channel, root) as { text?: string; blocks?: unknown[] };
    const message = { text: shown.text ?? '', ...(shown.blocks ? { blocks: shown.blocks } : {}) };
    const ack = await app.send(
      blockAction({
        actionId,
        value: paperId,
        userId,
        channelId: channel,
        messageTs: root,
        responseUrl: app.slack.responseUrl(id),
        message,
      }),
    );
    expect(ack.status).toBe(200);
    return id;
  }
  const responseTo = (id: string) =>
    app.slack.waitFor((calls) => calls.find((call) => call.method === 'response_url' && call.args.id === id));
  const threadPosts = () => app.slack.callsOf('chat.postMessage').filter((call) => call.args.thread_ts === root);

  it('Summarize posts a closer look at that paper in the thread', async () => {
    const clicked = await click('paper_summarize:3', dualHead.id);
    const { ts, call } = await postedMessage(app.slack, channel, root);
    // At once, the person alone is pointed to the reply (not left with "1 reply" under a long answer).
    const pointer = await responseTo(clicked);
    expect(pointer.args).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(pointer.args.text).toContain(
      `<https://${TEAM_ID.toLowerCase()}.slack.com/archives/${channel}/p${ts.replace('.', '')}?thread_ts=${root}&cid=${channel}|in the thread>`,
    );
    expect(pointer.args.text).toMatch(/^A closer look at “Dual-Head Knowledge Distillation/);
    expect(shownText(call.args)).toContain('A closer look at “Dual-Head Knowledge Distillation');
    const final = await finalUpdate(app.slack, channel, ts);
    expect(shownText(final.args)).not.toContain('Reading the paper');
    const turns = await storedTurns(app.store, { teamId: TEAM_ID, channelId: channel, threadTs: root }, 2);
    expect(turns.map((turn) => turn.role)).toEqual(['user', 'assistant']);
  });

  it('More like this posts papers close to that one in the thread, which then covers them too', async () => {
    const before = threadPosts().length;
    const clicked = await click('paper_more_like:3', dualHead.id);
    const post = await app.slack.waitFor(() => threadPosts()[before]);
    const pointer = await responseTo(clicked);
    expect(pointer.args.text).toMatch(
      /^Papers like “Dual-Head Knowledge Distillation.*” is coming <https:\/\/.*\?thread_ts=.*\|in the thread>\.$/,
    );
    expect(shownText(post.args)).toContain('More like “Dual-Head Knowledge Distillation');
    expect(shownText(post.args)).not.toContain(`"value":"${dualHead.id}"`);
    await finalUpdate(app.slack, channel, String(post.response!.ts));
    const similar = app.index.moreLike(dualHead.id, { limit: 5 }).map((hit) => hit.paper.id);
    const thread = await app.store.getThread({ teamId: TEAM_ID, channelId: channel, threadTs: root });
    expect(thread?.query).toBe('distillation');
    expect(thread?.paperIds.slice(0, 5)).toContain(dualHead.id);
    for (const id of similar) expect(thread?.paperIds).toContain(id);
  });

  /** The paper's 👍 and 👎 buttons as the message in the channel now shows them. */
  function voteButtons(paperId: string): Array<{ text: string; style?: string }> {
    const blocks = (
      app.slack.message(channel, root) as {
        blocks: Array<{ type: string; elements?: Array<{ action_id: string; value: string; text: { text: string }; style?: string }> }>;
      }
    ).blocks;
    return blocks
      .flatMap((block) => block.elements ?? [])
      .filter((element) => element.value === paperId && /^paper_(like|dislike):/.test(element.action_id))
      .map((element) => ({ text: element.text.text, ...(element.style ? { style: element.style } : {}) }));
  }
  const shownAfter = (paperId: string, expected: Array<{ text: string; style?: string }>) =>
    app.slack.waitFor(() => (JSON.stringify(voteButtons(paperId)) === JSON.stringify(expected) ? true : undefined));

  it('👍 and 👎: a vote shows on the message, the other vote replaces it, the same button again takes it back', async () => {
    expect(voteButtons(dualHead.id)).toEqual([{ text: '👍' }, { text: '👎' }]);
    const liked = await responseTo(await click('paper_like:3', dualHead.id));
    expect(liked.args).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(liked.args.text).toContain('Dual-Head Knowledge Distillation');
    expect(await app.store.likedPapers(TEAM_ID, 'U0300', 10)).toEqual([dualHead.id]);
    await shownAfter(dualHead.id, [{ text: '👍 1', style: 'primary' }, { text: '👎' }]);

    // Someone else agrees: the count says so.
    await responseTo(await click('paper_like:3', dualHead.id, 'U0301'));
    await shownAfter(dualHead.id, [{ text: '👍 2', style: 'primary' }, { text: '👎' }]);

    // The other way replaces the first person's vote.
    await responseTo(await click('paper_dislike:3', dualHead.id));
    expect(await app.store.likedPapers(TEAM_ID, 'U0300', 10)).toEqual([]);
    await shownAfter(dualHead.id, [{ text: '👍 1' }, { text: '👎 1' }]);

    // The chosen button again takes the vote back.
    const undone = await responseTo(await click('paper_dislike:3', dualHead.id));
    expect(undone.args.text).toMatch(/took back your 👎/);
    await shownAfter(dualHead.id, [{ text: '👍 1', style: 'primary' }, { text: '👎' }]);
    const undoneToo = await responseTo(await click('paper_like:3', dualHead.id, 'U0301'));
    expect(undoneToo.args.text).toMatch(/took back your 👍/);
    await shownAfter(dualHead.id, [{ text: '👍' }, { text: '👎' }]);
    expect(await app.store.voteTally({ teamId: TEAM_ID, channelId: channel, userId: 'U0300', paperId: dualHead.id })).toEqual({
      up: 0,
      down: 0,
      mine: 0,
    });

    await responseTo(await click('paper_like:3', dualHead.id));
    expect(await app.store.likedPapers(TEAM_ID, 'U0300', 10)).toEqual([dualHead.id]);
    // Other papers' buttons are untouched.
    const other =
      app.store &&
      (
        app.slack.message(channel, root) as {
          blocks: Array<{ elements?: Array<{ value: string; action_id: string; text: { text: string } }> }>;
        }
      ).blocks
        .flatMap((block) => block.elements ?? [])
        .filter((element) => element.value !== dualHead.id && /^paper_like:/.test(element.action_id));
    for (const element of other) expect(element.text.text).toBe('👍');
  });

  it('says so when the paper is no longer known', async () => {
    const reply = await responseTo(await click('paper_summarize:1', 'no-such-paper'));
    expect(reply.args.text).toMatch(/no longer in my index/);
  });

  it('publishes a Home tab with the user’s recent searches and liked papers', async () => {
    await app.send(eventCallback({ type: 'app_home_opened', user: 'U0300', channel: 'D0300', tab: 'home' }, { eventId: 'EvHome' }));
    const publish = await app.slack.waitFor((calls) => calls.find((call) => call.method === 'views.publish'));
    expect(publish.response?.ok).toBe(true);
    expect(publish.args.user_id).toBe('U0300');
    const shown = JSON.stringify(publish.args.view);
    expect(shown).toContain('Your recent searches');
    expect(shown).toContain('• distillation');
    expect(shown).toContain('Dual-Head Knowledge Distillation');
  });
});
