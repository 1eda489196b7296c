import { describe, expect, it } from 'vitest';
import type { Tldr } from '../../src/answer/types.js';
import { formatHits, formatPaper } from '../../src/cli/terminal.js';
import { PaperSchema, type Paper } from '../../src/papers/paper.js';
import { blockProblems } from '../../src/fake-slack/block-kit-rules.js';
import type { SearchHit } from '../../src/search/types.js';
import { renderAnswer } from '../../src/slack/blocks/topic-answer.js';

// What an adversarial pass put in paper titles and abstracts (issue 16).
const CLEAR_SCREEN = '\u001b[2J\u001b[H';
const OSC8_LINK = '\u001b]8;;https://evil.example\u0007click\u001b]8;;\u0007';
const OSC52_CLIPBOARD = '\u001b]52;c;cm0gLXJmIH4=\u0007';
const RTL_OVERRIDE = 'report\u202Egpj.exe';
const ZERO_WIDTH = 'dis\u200Btil\u2060la\uFEFFtion';
const FAKE_LINE = 'Real title\n[2] A fake second paper';

const paper = (overrides: Partial<Paper>): Paper => ({
  id: 'p1',
  title: 'Title',
  abstract: 'Abstract.',
  authors: ['Ada Lovelace'],
  upvotes: 0,
  links: { page: 'https://huggingface.co/papers/2501.00001', arxiv: 'https://arxiv.org/abs/2501.00001' },
  keywords: [],
  source: 'test',
  ...overrides,
});
const hit = (p: Paper): SearchHit => ({ paper: p, score: 1, matched: ['distillation'], snippet: p.abstract });
const tldr: Tldr = { kind: 'extractive', text: `Short ${OSC52_CLIPBOARD}summary ${RTL_OVERRIDE}.` };

const hostile = paper({
  title: `${CLEAR_SCREEN}${FAKE_LINE} ${RTL_OVERRIDE} ${ZERO_WIDTH}`,
  abstract: `Abstract ${OSC8_LINK} ${RTL_OVERRIDE}.`,
  authors: [`Eve${CLEAR_SCREEN}\nMallory`],
});

function shown(text: string): void {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the characters that must not reach anyone
  expect(text).not.toMatch(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]/);
}

describe('characters that deceive', () => {
  it('never reach the terminal: no escape sequence, no bidi override, no zero-width character, titles on one line', () => {
    const out = [formatPaper(1, hit(hostile), tldr), formatHits([hit(hostile)])].join('\n');
    shown(out);
    expect(out).toContain('[1] Real title [2] A fake second paper reportgpj.exe distillation');
    expect(out.split('\n').filter((line) => line.startsWith('[2]'))).toEqual([]);
  });

  it('never reach Slack, and a newline in a title draws no fake line inside the link', () => {
    const { blocks, text } = renderAnswer({
      title: 'Papers',
      hits: [hit(hostile)],
      synthesis: { status: 'done', synthesis: { kind: 'extractive', bullets: [`Point ${RTL_OVERRIDE} [1].`], cited: [1] } },
    });
    expect(blockProblems(blocks, 50)).toEqual([]);
    const all = JSON.stringify({ blocks, text });
    shown(`${collectText(blocks).join('\n')}\n${text}`);
    expect(all).toContain('|Real title [2] A fake second paper reportgpj.exe distillation>');
  });

  it('a very long link is dropped, never the paper', () => {
    const long = `https://example.org/${'a'.repeat(2_900)}`;
    const p = paper({ title: 'Long link paper', authors: ['Ada Lovelace', 'Alan Turing'], links: { page: long, arxiv: long, code: long } });
    const { blocks } = renderAnswer({
      title: 'Papers',
      hits: [hit(p)],
      synthesis: { status: 'done', synthesis: { kind: 'extractive', bullets: ['A point here [1].'], cited: [1] } },
    });
    expect(blockProblems(blocks, 50)).toEqual([]);
    const all = collectText(blocks).join('\n');
    expect(all).toContain('*[1] Long link paper*');
    expect(all).toContain('Ada Lovelace, Alan Turing');
    expect(all).toContain('Abstract.');
    expect(all).not.toContain('<https://example.org/aaa');
    expect(all).not.toMatch(/<https?:[^>|]*$/m);
  });

  it('are stripped and fields capped at ingestion; a long field is cut, the paper kept', () => {
    const parsed = PaperSchema.parse({
      id: 'p2',
      title: `${FAKE_LINE}\t${ZERO_WIDTH} ${'word '.repeat(200)}`,
      abstract: `${RTL_OVERRIDE} ${'x'.repeat(20_000)}`,
      authors: [`Eve${CLEAR_SCREEN}\n Mallory`],
      aiSummary: 'y '.repeat(5_000),
      source: 'test',
    });
    expect(parsed.title.startsWith('Real title [2] A fake second paper distillation word')).toBe(true);
    expect(parsed.title.length).toBeLessThanOrEqual(500);
    expect(parsed.abstract.length).toBeLessThanOrEqual(10_000);
    expect(parsed.abstract.startsWith('reportgpj.exe')).toBe(true);
    expect(parsed.authors).toEqual(['Eve Mallory']);
    expect(parsed.aiSummary!.length).toBeLessThanOrEqual(1_000);
  });
});

function collectText(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(collectText);
  if (value && typeof value === 'object') return Object.values(value).flatMap(collectText);
  return [];
}
