import { describe, expect, test } from 'vitest';
import { NO_ANSWER } from '../../src/answer/citations.js';
import { FOLLOW_UP_NEEDS_LLM, extractiveFollowUp } from '../../src/answer/extractive-follow-up.js';
import { fallbackSynthesis, NO_LLM } from '../../src/answer/fallback.js';
import { asksToCompare, referencedPapers } from '../../src/answer/references.js';
import { loadCorpus } from '../../src/papers/corpus.js';
import { DEFAULT_CORPUS } from '../../src/paths.js';
import { renderReply } from '../../src/slack/blocks/reply.js';
import { PAPERS } from './fixtures.js';

describe('referencedPapers', () => {
  test.each([
    ['compare the first two', [1, 2]],
    ['compare [2] and [3]', [2, 3]],
    ['[1, 3] vs [2]', [1, 3, 2]],
    ['How do papers 1 and 4 differ?', [1, 4]],
    ['compare paper 2 with paper 5', [2, 5]],
    ['the second and third?', [2, 3]],
    ['Is the 2nd better than the 3rd?', [2, 3]],
    ['compare the last two', [5, 6]],
    ['what about the last one', [6]],
    // A number word is not a paper; nor is "the first time".
    ['what do two of them share?', []],
    ['which was the first time anyone did this?', []],
    ['which of these is cheapest to run?', []],
    // Out of range: ignored.
    ['compare [2] and [9]', [2]],
  ])('%s → %j', (question, expected) => {
    expect(referencedPapers(question, 6)).toEqual(expected);
  });

  test('comparison is recognised', () => {
    expect(asksToCompare('compare the first two')).toBe(true);
    expect(asksToCompare('How do they differ?')).toBe(true);
    expect(asksToCompare('which of these is cheapest to run?')).toBe(false);
  });
});

describe('extractiveFollowUp', () => {
  const seed = loadCorpus(DEFAULT_CORPUS).papers;
  const thread = [
    'unlock-the-power',
    'on-teacher-hacking',
    'dual-head-knowledge',
    'talking-models',
    'self-supervised-label',
    'learning-from-future',
  ].map((prefix) => seed.find((paper) => paper.id.startsWith(prefix))!);

  test('"compare the first two": papers 1 and 2 side by side, their contribution first, never paper 5 or 6', () => {
    const answer = extractiveFollowUp('compare the first two', thread);
    expect(answer.cited).toEqual([1, 2]);
    expect(answer.bullets).toHaveLength(2);
    expect(answer.bullets[0]).toMatch(
      /^Unlock the Power.*: We propose an innovative Competitive Multi-modal Distillation framework \(CoMD\).* \[1\]$/,
    );
    expect(answer.bullets[1]).toMatch(/^On Teacher Hacking.*\[2\]$/);
    expect(answer.note).toBe(FOLLOW_UP_NEEDS_LLM);
  });

  test("a paper with Hugging Face's summary is compared by it", () => {
    const answer = extractiveFollowUp('compare [1] and [2]', PAPERS);
    expect(answer.bullets[1]).toBe(
      `Quantized Attention for Long Contexts: ${PAPERS[1]!.aiSummary} We introduce a 4-bit quantized attention kernel that keeps accuracy within 0.5 points. [2]`,
    );
  });

  test('"[3] and [4]" and "compare" alone', () => {
    expect(extractiveFollowUp('what do [3] and [4] do differently?', thread).cited).toEqual([3, 4]);
    expect(extractiveFollowUp('How do they compare?', thread).cited).toEqual([1, 2]);
  });

  test('another question: sentences carrying its content words, above the floor, or nothing', () => {
    const hacking = extractiveFollowUp('when does teacher hacking occur?', thread);
    expect(hacking.cited).toEqual([2]);
    expect(hacking.bullets.filter((bullet) => /teacher hacking/i.test(bullet)).length).toBeGreaterThanOrEqual(2);
    expect(extractiveFollowUp('which of these is cheapest to run?', thread).bullets).toEqual([NO_ANSWER]);
    expect(extractiveFollowUp('Which GPU vendor sponsored them?', PAPERS).bullets).toEqual([NO_ANSWER]);
  });

  test('without an LLM the notice says plainly that follow-ups need one, and how to set it', () => {
    const synthesis = fallbackSynthesis(extractiveFollowUp('compare the first two', thread), NO_LLM);
    expect(synthesis.notice).toMatch(/Follow-up questions need an LLM: set OPENAI_API_KEY/);
    // Said first, above what the abstracts say.
    const blocks = renderReply({ synthesis: { status: 'done', synthesis }, sources: thread }).blocks as Array<{ type: string }>;
    expect(blocks.map((block) => block.type).slice(0, 2)).toEqual(['context', 'section']);
    expect(JSON.stringify(blocks[0])).toContain('Follow-up questions need an LLM');
    // When the LLM is configured but failed, the reason is what matters.
    expect(fallbackSynthesis(extractiveFollowUp('compare the first two', thread), 'timed out').notice).toMatch(
      /LLM unavailable \(timed out\)/,
    );
  });
});
