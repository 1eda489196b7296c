import { describe, expect, it } from 'vitest';
import { createAnalyzer } from '../../src/search/analyzer.js';
import { splitSentences } from '../../src/search/sentences.js';
import { bestSentence } from '../../src/search/snippet.js';

describe('splitSentences', () => {
  it('splits at sentence ends', () => {
    expect(splitSentences('One thing. Two things! Three? Four.')).toEqual(['One thing.', 'Two things!', 'Three?', 'Four.']);
  });

  it('does not split at e.g., i.e., et al., decimals or initials', () => {
    const text =
      'Models (e.g. BERT) work, i.e. They learn. As Smith et al. Showed, accuracy rose by 0.5 points. J. Smith agrees. Next one.';
    expect(splitSentences(text)).toEqual([
      'Models (e.g. BERT) work, i.e. They learn.',
      'As Smith et al. Showed, accuracy rose by 0.5 points.',
      'J. Smith agrees.',
      'Next one.',
    ]);
  });

  it('splits before a number or a bracket that opens the next sentence', () => {
    expect(splitSentences('We test it. 20 runs follow. (1) First.')).toEqual(['We test it.', '20 runs follow.', '(1) First.']);
  });

  it('returns nothing for blank text', () => {
    expect(splitSentences('  ')).toEqual([]);
  });
});

describe('bestSentence', () => {
  const analyzer = createAnalyzer();
  const text = 'We study vision. Knowledge distillation transfers knowledge to students. Results are good.';

  it('picks the sentence with the most query weight', () => {
    const weights = new Map([
      ['distil', 2],
      ['knowledg', 1],
    ]);
    expect(bestSentence(text, weights, analyzer)).toBe('Knowledge distillation transfers knowledge to students.');
  });

  it('falls back to the first sentence when nothing matches', () => {
    expect(bestSentence(text, new Map([['speech', 1]]), analyzer)).toBe('We study vision.');
  });
});
