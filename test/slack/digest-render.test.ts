import { describe, expect, it } from 'vitest';
import type { Tldr } from '../../src/answer/types.js';
import type { Digest } from '../../src/digest/deliver.js';
import type { Paper } from '../../src/papers/paper.js';
import { blockProblems } from '../../src/fake-slack/block-kit-rules.js';
import { renderDigest } from '../../src/slack/blocks/digest.js';

function paper(n: number, overrides: Partial<Paper> = {}): Paper {
  return {
    id: `paper-${n}`,
    title: `Paper number ${n}`,
    abstract: `Abstract of paper ${n}.`,
    authors: ['Ada Lovelace'],
    upvotes: n,
    links: { page: `https://huggingface.co/papers/${n}`, arxiv: `https://arxiv.org/abs/2501.${n}` },
    keywords: [],
    source: 'test',
    ...overrides,
  };
}

function digest(count: number, overrides: { topics?: string; reasons?: string[]; tldr?: Tldr; paper?: Partial<Paper> } = {}): Digest {
  const picks = Array.from({ length: count }, (_, i) => ({
    paper: paper(i + 1, overrides.paper),
    score: 1,
    reasons: overrides.reasons ?? [`#${i + 1} trending`],
  }));
  return {
    subscription: {
      teamId: 'T1',
      channelId: 'C1',
      time: '09:00',
      timeZone: 'UTC',
      days: 'weekdays',
      topics: overrides.topics ?? '',
      createdBy: 'U1',
    },
    date: '2025-03-28',
    trendingDate: '2025-03-27',
    trendingDays: ['2025-03-27'],
    picks,
    tldrs: picks.map(() => overrides.tldr ?? { text: 'It does a thing.', kind: 'llm' }),
  };
}

describe('renderDigest', () => {
  it('says under the header when its list is old, naming the list and when Hugging Face last answered', () => {
    const old = { ...digest(1), stale: { newestClosedDay: '2026-11-27', lastHeard: new Date('2026-11-25T06:05:00Z') } };
    const { blocks } = renderDigest(old);
    expect(blockProblems(blocks, 50)).toEqual([]);
    expect(blocks[1]).toEqual({
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: ':warning: This is an old list: the newest list I have is from 2025-03-27 (the Daily Papers of 2026-11-27 are not in yet); Hugging Face has not answered since 2026-11-25 06:05 UTC.',
        },
      ],
    });
    expect(JSON.stringify(renderDigest(digest(1)).blocks)).not.toContain('old list');
  });

  it('shows the trending day, each paper with its TL;DR, links, why it was picked and its buttons, then how to follow up', () => {
    const { blocks, text } = renderDigest(digest(2));
    expect(blockProblems(blocks, 50)).toEqual([]);
    expect(blocks.map((block) => block.type)).toEqual([
      'header',
      ...Array(2).fill(['section', 'context', 'context', 'actions']).flat(),
      'divider',
      'context',
    ]);
    const shown = JSON.stringify(blocks);
    expect(shown).toContain('"text":"Trending papers · 2025-03-27"');
    expect(shown).toContain('*TL;DR:* It does a thing.');
    expect(shown).toContain('_Why: #2 trending_');
    expect(shown).toContain('paper_like:2');
    expect(JSON.stringify(blocks.at(-1))).toContain('Reply in this thread to ask about these papers.');
    expect(shown).not.toContain('no LLM');
    expect(text).toBe('Trending papers · 2025-03-27\n[1] Paper number 1\n[2] Paper number 2');
  });

  it('names the topics in the header and says when summaries are extractive', () => {
    const { blocks } = renderDigest(digest(1, { topics: 'distillation', tldr: { text: 'First sentence.', kind: 'extractive' } }));
    const shown = JSON.stringify(blocks);
    expect(shown).toContain('Trending papers · 2025-03-27 · distillation');
    expect(shown).toContain('*From the abstract:* First sentence.');
    expect(shown).toContain('(no LLM)');
  });

  it('escapes topics, reasons, titles and TL;DRs, so that none can mention or link', () => {
    const evil = '<!channel> <@U123> <https://evil.example|click> & more';
    const { blocks, text } = renderDigest(
      digest(3, {
        topics: evil,
        reasons: [`like "${evil}", which this channel liked`],
        tldr: { text: evil, kind: 'llm' },
        paper: { title: evil, authors: [evil] },
      }),
    );
    expect(blockProblems(blocks, 50)).toEqual([]);
    for (const shown of [JSON.stringify(blocks), text]) {
      expect(shown).not.toMatch(/<!channel>|<@U123>|<https:\/\/evil/);
      expect(shown).toContain('&lt;!channel&gt; &lt;@U123&gt;');
    }
    expect(JSON.stringify(blocks)).toContain('_Why: like \\"&lt;!channel&gt;');
  });

  it('leaves out whole papers past Slack’s 50 blocks, keeping the closing line, and cuts long text', () => {
    const long = 'x'.repeat(5000);
    const { blocks, text } = renderDigest(digest(30, { topics: long, reasons: [long, long], tldr: { text: long, kind: 'llm' } }));
    expect(blockProblems(blocks, 50)).toEqual([]);
    expect(blocks.length).toBeLessThanOrEqual(50);
    expect(blocks.filter((block) => block.type === 'actions')).toHaveLength(11);
    expect(JSON.stringify(blocks.at(-1))).toContain('Reply in this thread');
    expect(text).toContain('[11] Paper number 11');
    expect(text).not.toContain('[12]');
  });
});
