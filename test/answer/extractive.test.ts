import { describe, expect, test } from 'vitest';
import { NO_ANSWER } from '../../src/answer/citations.js';
import { extractiveAnswer, extractiveFollowUp, extractiveTldr } from '../../src/answer/extractive.js';
import { limitWords } from '../../src/answer/limit-words.js';
import { splitSentences } from '../../src/search/sentences.js';
import { terms } from '../../src/answer/terms.js';
import { PAPERS, paper } from './fixtures.js';

describe('splitSentences', () => {
  test('keeps abbreviations, decimals and initials inside their sentence', () => {
    expect(
      splitSentences('We use e.g. pruning, cf. Fig. 2 for details. Accuracy rose by 3.5 points (see J. Smith et al. 2020). "Quoted" starts here! Does it? 2x faster.'),
    ).toEqual([
      'We use e.g. pruning, cf. Fig. 2 for details.',
      'Accuracy rose by 3.5 points (see J. Smith et al. 2020).',
      '"Quoted" starts here!',
      'Does it?',
      '2x faster.',
    ]);
  });

  test('limitWords cuts long text with an ellipsis', () => {
    expect(limitWords('one two three four', 3)).toBe('one two three…');
    expect(limitWords('one two', 3)).toBe('one two');
  });
});

test('terms are stemmed and stopwords dropped', () => {
  expect(terms('The Decoding of decoders, decoded!')).toEqual(['decod', 'decod', 'decod']);
});

describe('extractiveAnswer', () => {
  test('picks query-matching sentences and cites each as [n], like the LLM', () => {
    const answer = extractiveAnswer('speculative decoding speedups', PAPERS, { minBullets: 3, maxBullets: 5 });
    expect(answer.kind).toBe('extractive');
    expect(answer.bullets.length).toBeGreaterThanOrEqual(3);
    expect(answer.bullets.every((bullet) => /\[\d\]$/.test(bullet))).toBe(true);
    expect(answer.bullets[0]).toBe(
      'We propose draft trees, a speculative decoding method that verifies many candidate continuations at once. [1]',
    );
    expect(answer.cited).toEqual([1, 2, 3]);
  });

  test("uses Hugging Face's summary where a paper has one", () => {
    const answer = extractiveAnswer('attention', [PAPERS[1]!], { minBullets: 1, maxBullets: 1 });
    expect(answer).toEqual({ kind: 'hf-ai-summary', bullets: [`${PAPERS[1]!.aiSummary} [1]`], cited: [1] });
  });

  test('a follow-up the abstracts cannot answer gets the no-answer sentence', () => {
    expect(extractiveFollowUp('Which GPU vendor sponsored them?', PAPERS).bullets).toEqual([NO_ANSWER]);
    expect(extractiveFollowUp('How much faster is generation?', PAPERS).bullets[0]).toContain('[1]');
  });
});

describe('extractiveTldr', () => {
  test('the contribution sentence, not the background one, at most 30 words', () => {
    expect(extractiveTldr(PAPERS[0]!)).toEqual({
      kind: 'extractive',
      text: 'We propose draft trees, a speculative decoding method that verifies many candidate continuations at once.',
    });
    const long = paper({ id: 'x', title: 'Long', abstract: `We propose ${'very '.repeat(40)}long things.` });
    expect(extractiveTldr(long).text.split(' ')).toHaveLength(30);
  });

  test("prefers Hugging Face's summary", () => {
    expect(extractiveTldr(PAPERS[1]!)).toEqual({ kind: 'hf-ai-summary', text: PAPERS[1]!.aiSummary });
  });

  test('falls back to the title when there is no abstract', () => {
    expect(extractiveTldr(paper({ id: 'y', title: 'Only a Title' })).text).toBe('Only a Title');
  });
});
