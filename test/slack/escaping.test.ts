import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Paper } from '../../src/papers/paper.js';
import { startOpenAiServer, type OpenAiTestServer } from '../support/openai-server.js';
import { startTestApp, type TestApp } from '../support/slack-app.js';
import { slashCommand } from '../../src/fake-slack/signed-requests.js';
import { finalUpdate, postedMessage } from '../support/slack-messages.js';

const INJECTION = '<!channel> <!here> <@U123> <http://evil.example|click here> *bold*';

const evilPaper: Paper = {
  id: 'zebrafish-evil',
  title: `Zebrafish distillation ${INJECTION}`,
  abstract: `Zebrafish distillation works & scales. ${INJECTION} Another sentence about zebrafish.`,
  authors: ['<@U999>', 'Eve <!everyone>', 'Mallory'],
  upvotes: 3,
  links: {
    page: 'https://example.org/paper?a=1&b=2|<!channel>',
    arxiv: 'https://arxiv.org/abs/2501.00001',
    code: 'javascript:alert(1)',
  },
  keywords: [],
  source: 'test',
};

describe('untrusted text in messages', () => {
  let llm: OpenAiTestServer;
  let app: TestApp;
  beforeAll(async () => {
    llm = await startOpenAiServer({
      respond: (request) =>
        request.body?.response_format
          ? { type: 'completion', content: JSON.stringify({ tldr: `Zebrafish TL;DR ${INJECTION}` }) }
          : { type: 'stream', chunks: ['- Zebrafish ', `${INJECTION} `, 'wins [1] ', 'as 2 < 3 & 4 > 1.'], chunkDelayMs: 150 },
    });
    app = await startTestApp({ llmBaseURL: llm.baseURL, extraPapers: [evilPaper] });
  });
  afterAll(async () => {
    await app.close();
    await llm.close();
  });

  it('arrives escaped: no mention, no forged link, and links only to http(s) paper URLs', async () => {
    await app.send(slashCommand({ text: `zebrafish ${INJECTION}`, channel_id: 'C0500', response_url: app.slack.responseUrl('e') }));
    const { ts, call } = await postedMessage(app.slack, 'C0500');
    const final = await finalUpdate(app.slack, 'C0500', ts);
    const sent = [call, ...app.slack.callsOf('chat.update')]
      .map((c) => JSON.stringify({ text: c.args.text, blocks: c.args.blocks }))
      .join('\n');

    for (const forbidden of ['<!channel>', '<!here>', '<!everyone>', '<@U123>', '<@U999>', '<http://evil', 'javascript:']) {
      expect(sent).not.toContain(forbidden);
    }
    const finalText = JSON.stringify(final.args.blocks);
    // The answer layer drops markup from the checked answer; what is left is still escaped.
    expect(finalText).toContain('wins [1] as 2 &lt; 3 &amp; 4 &gt; 1.');
    // While streaming, only checked text is shown (issue 16): the markup the check removes never appears.
    const synthesisOf = (c: { args: Record<string, unknown> }) =>
      JSON.stringify((c.args.blocks as Array<{ block_id?: string }>).filter((block) => block.block_id === 'synthesis'));
    const interim = app.slack
      .callsOf('chat.update')
      .filter((c) => c !== final)
      .map(synthesisOf);
    for (const text of interim) expect(text).not.toMatch(/&lt;!channel&gt;|evil\.example|&lt;@U123&gt;/);
    expect(finalText).toContain('&lt;@U123&gt; &lt;http://evil.example|click here&gt;');
    expect(finalText).toContain('&lt;@U999&gt;, Eve &lt;!everyone&gt; et al.');

    const links = [...finalText.matchAll(/<([^>]*)>/g)].map((match) => match[1]!);
    expect(links.length).toBeGreaterThan(0);
    for (const link of links) expect(link).toMatch(/^https?:\/\/[^|<>\s]+\|[^|<>]*$/);
    expect(links).toContain('https://arxiv.org/abs/2501.00001|arXiv');

    const header = (final.args.blocks as Array<{ type: string; text?: { text: string } }>).find((block) => block.type === 'header');
    expect(header?.text?.text).toContain('*bold*');
    expect(header?.text?.text).not.toContain('<');
  });
});
