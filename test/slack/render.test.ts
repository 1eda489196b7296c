import { describe, expect, it } from 'vitest';
import type { Synthesis } from '../../src/answer/types.js';
import type { Paper } from '../../src/papers/paper.js';
import type { SearchHit } from '../../src/search/types.js';
import { renderAnswer } from '../../src/slack/blocks/topic-answer.js';
import type { Subscription } from '../../src/digest/subscription.js';
import { renderHome } from '../../src/slack/blocks/home.js';
import { shortAuthors } from '../../src/papers/authors.js';
import { renderReply } from '../../src/slack/blocks/reply.js';
import { blockProblems } from '../../src/fake-slack/block-kit-rules.js';

function paper(n: number, overrides: Partial<Paper> = {}): Paper {
  return {
    id: `paper-${n}`,
    title: `Paper number ${n}`,
    abstract: `Abstract of paper ${n}.`,
    authors: ['Ada Lovelace', 'Alan Turing', 'Grace Hopper'],
    upvotes: n,
    links: { page: `https://huggingface.co/papers/${n}`, arxiv: `https://arxiv.org/abs/2501.${n}`, pdf: `https://arxiv.org/pdf/2501.${n}` },
    keywords: [],
    source: 'test',
    ...overrides,
  };
}

const hit = (p: Paper, matched = ['distillation']): SearchHit => ({ paper: p, score: 1, matched, snippet: `Snippet of ${p.title}.` });
const done = (synthesis: Partial<Synthesis> = {}) => ({
  status: 'done' as const,
  synthesis: { kind: 'llm' as const, bullets: ['A point [1].'], cited: [1], ...synthesis },
});
type SectionLike = { type: string; block_id?: string; text?: { text: string } };

describe('renderAnswer', () => {
  it('renders a header, the synthesis, and three blocks per numbered paper, as Slack accepts', () => {
    const { blocks, text } = renderAnswer({ title: 'Papers on “x”', hits: [1, 2, 3].map((n) => hit(paper(n))), synthesis: done() });
    expect(blockProblems(blocks, 50)).toEqual([]);
    expect(blocks.map((block) => block.type)).toEqual([
      'header',
      'section',
      'divider',
      ...Array(3).fill(['section', 'context', 'actions']).flat(),
    ]);
    const first = (blocks[3] as SectionLike).text!.text;
    expect(first).toBe(
      '*[1] <https://huggingface.co/papers/1|Paper number 1>*   ▲ 1\n_Ada Lovelace, Alan Turing et al._\nSnippet of Paper number 1.\n_Matched: distillation_',
    );
    expect(JSON.stringify(blocks[4])).toContain('<https://arxiv.org/abs/2501.1|arXiv>  ·  <https://arxiv.org/pdf/2501.1|PDF>');
    expect(text).toContain('[3] Paper number 3');
  });

  it('drops whole papers rather than pass 50 blocks', () => {
    const hits = Array.from({ length: 30 }, (_, i) => hit(paper(i + 1)));
    const { blocks } = renderAnswer({ title: 't', hits, synthesis: done({ notice: 'No LLM' }), footer: 'footer' });
    expect(blocks.length).toBeLessThanOrEqual(50);
    expect(blockProblems(blocks, 50)).toEqual([]);
    const numbered = blocks.filter((block) => block.block_id?.startsWith('paper:')).map((block) => block.block_id);
    expect(numbered).toEqual(Array.from({ length: numbered.length }, (_, i) => `paper:${i + 1}`));
    expect(blocks.filter((block) => block.type === 'actions')).toHaveLength(numbered.length);
    expect(blocks.at(-1)).toMatchObject({ type: 'context', elements: [{ text: 'footer' }] });
  });

  it('cuts oversized text with an ellipsis and stays inside every limit', () => {
    const huge = paper(1, {
      title: 'T&'.repeat(2000),
      authors: Array.from({ length: 500 }, (_, i) => `Author ${i}`),
      links: { page: `https://example.org/${'a'.repeat(2900)}` },
    });
    const message = renderAnswer({
      title: 'q'.repeat(2000),
      hits: [
        hit(
          huge,
          Array.from({ length: 300 }, (_, i) => `term${i}`),
        ),
      ],
      synthesis: done({ bullets: Array.from({ length: 50 }, () => 'x&y '.repeat(100) + '[1]') }),
      tldrs: [{ kind: 'llm', text: '<'.repeat(5000) }],
    });
    expect(blockProblems(message.blocks, 50)).toEqual([]);
    const synthesis = (message.blocks[1] as SectionLike).text!.text;
    expect(synthesis.length).toBeLessThanOrEqual(3000);
    expect(synthesis.endsWith('…')).toBe(true);
    expect(synthesis).not.toMatch(/&[a-z]*…$/);
    expect((message.blocks[0] as SectionLike).text!.text.length).toBeLessThanOrEqual(150);
    expect(message.text.length).toBeLessThanOrEqual(40_000);
  });

  it('says when the summary is not the LLM’s, and shows a streaming answer as it comes', () => {
    const extractive = renderAnswer({ title: 't', hits: [hit(paper(1))], synthesis: done({ kind: 'extractive' }) });
    expect(JSON.stringify(extractive.blocks)).toContain('Extractive summary from the abstracts');
    const streaming = renderAnswer({ title: 't', hits: [hit(paper(1))], synthesis: { status: 'streaming', text: 'Half an <answer' } });
    expect((streaming.blocks[1] as SectionLike).text!.text).toBe('Half an &lt;answer ▍');
  });

  it('leaves buttons out when asked, e.g. where the message cannot have a thread', () => {
    const { blocks } = renderAnswer({ title: 't', hits: [hit(paper(1))], synthesis: done(), buttons: false });
    expect(blocks.some((block) => block.type === 'actions')).toBe(false);
  });
});

describe('renderReply', () => {
  it('lists the sources the answer cites, by their thread numbers', () => {
    const sources = [paper(1), paper(2), paper(3)];
    const { blocks } = renderReply({
      heading: 'A <closer> look',
      synthesis: done({ bullets: ['Two and three [2][3].'], cited: [2, 3] }),
      sources,
    });
    expect(blockProblems(blocks, 50)).toEqual([]);
    expect((blocks[0] as SectionLike).text!.text).toBe('*A &lt;closer&gt; look*');
    expect(JSON.stringify(blocks.at(-1))).toContain('[2] <https://huggingface.co/papers/2|Paper number 2>');
    expect(JSON.stringify(blocks.at(-1))).not.toContain('[1]');
  });
});

describe('renderHome: paused digests', () => {
  it('shows a paused subscription as paused, with what Slack said and how to resume', () => {
    const base = { teamId: 'T1', time: '09:00', timeZone: 'UTC', days: 'weekdays' as const, topics: '', createdBy: 'U1' };
    const shown = JSON.stringify(
      renderHome({
        recentSearches: [],
        likedPapers: [],
        subscriptions: [
          { ...base, channelId: 'C1', paused: 'is_archived' },
          { ...base, channelId: 'C2' },
        ],
      }).blocks,
    );
    expect(shown).toContain(
      '<#C1>: Every weekday at 09:00 UTC, everything trending — :double_vertical_bar: *paused*: Slack answered `is_archived`',
    );
    expect(shown).toContain('run `/papers subscribe` there again to resume');
    expect(shown).not.toMatch(/<#C2>[^•]*paused/);
  });
});

describe('renderHome', () => {
  const subscription = (i: number): Subscription => ({
    teamId: 'T1',
    channelId: `C${i}`,
    time: '09:00',
    timeZone: 'Europe/Paris',
    days: 'weekdays',
    topics: `<!channel> topic ${i} ${'w'.repeat(150)}`,
    createdBy: 'U1',
  });

  it('fits however much history and however many digests there are, escaped', () => {
    const view = renderHome({
      recentSearches: Array.from({ length: 200 }, (_, i) => `search <${i}> ${'z'.repeat(100)}`),
      likedPapers: Array.from({ length: 200 }, (_, i) => paper(i)),
      subscriptions: Array.from({ length: 2000 }, (_, i) => subscription(i)),
      freshness: 'Papers up to <2025-03-28>',
    });
    expect(blockProblems(view.blocks, 100)).toEqual([]);
    const shown = JSON.stringify(view.blocks);
    expect(shown).toContain('search &lt;0&gt;');
    expect(shown).toContain('• <#C0>: Every weekday at 09:00 Europe/Paris, papers on: &lt;!channel&gt; topic 0');
    expect(shown).not.toContain('<!channel>');
    expect(shown).toMatch(/…and \d+ more/);
    expect(shown).toContain('Papers up to &lt;2025-03-28&gt;');
  });

  it('shows searches exactly as typed: plain text, so `*bold*` stays asterisks and <!channel> is text', () => {
    const view = renderHome({ recentSearches: ['*bold* _it_ <!channel>'], likedPapers: [], subscriptions: [] });
    const searches = view.blocks.find((block) => JSON.stringify(block).includes('bold'));
    expect(searches).toEqual({ type: 'section', text: { type: 'plain_text', text: '• *bold* _it_ &lt;!channel&gt;', emoji: false } });
    expect(blockProblems(view.blocks, 100)).toEqual([]);
  });

  it('shows subscription topics as typed: *bold*, _it_, ~strike~ and `code` never format, <!channel> is text', () => {
    const typed = '*bold* _it_ ~strike~ `code` <!channel>';
    const view = renderHome({ recentSearches: [], likedPapers: [], subscriptions: [{ ...subscription(1), topics: typed }] });
    expect(blockProblems(view.blocks, 100)).toEqual([]);
    const line = view.blocks.map((block) => (block as SectionLike).text).find((text) => text?.text.includes('<#C1>'));
    expect(line).toEqual({
      type: 'mrkdwn',
      text: '• <#C1>: Every weekday at 09:00 Europe/Paris, papers on: ∗bold∗ ˍitˍ ∼strike∼ ˋcodeˋ &lt;!channel&gt;',
    });
    expect(line?.text).not.toMatch(/[*_~`]/);
  });

  it('invites a first search and a first digest when there is none, and leaves out an unknown freshness', () => {
    const shown = JSON.stringify(renderHome({ recentSearches: [], likedPapers: [], subscriptions: [] }).blocks);
    expect(shown).toContain('Nothing yet');
    expect(shown).toContain('run `/papers subscribe` in a channel');
    expect(shown).not.toContain(':newspaper:');
  });
});

describe('shortAuthors', () => {
  it('names at most two', () => {
    expect(shortAuthors([])).toBe('');
    expect(shortAuthors(['A'])).toBe('A');
    expect(shortAuthors(['A', 'B'])).toBe('A, B');
    expect(shortAuthors(['A', 'B', 'C'])).toBe('A, B et al.');
  });
});
