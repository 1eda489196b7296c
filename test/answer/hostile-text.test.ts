import { describe, expect, it } from 'vitest';
import { checkAnswer } from '../../src/answer/citations.js';
import { splitSentences } from '../../src/search/sentences.js';
import { hostileTexts, slowest } from '../support/hostile-text.js';

// 50,000 characters: a quadratic pass takes seconds on these (20,000 took 300-1,000 ms before),
// a linear one a few milliseconds. The bound is far from both, so that a loaded machine passes.
const LENGTH = 50_000;
const BOUND_MS = 300;

describe('text passes stay linear on hostile text', () => {
  it('splits sentences', () => {
    const worst = slowest(splitSentences, LENGTH);
    expect(worst.ms, worst.name).toBeLessThan(BOUND_MS);
  });

  it('checks a model answer made of one long line', () => {
    const worst = slowest((text) => checkAnswer(text, { paperCount: 5, maxBullets: 6 }), LENGTH);
    expect(worst.ms, worst.name).toBeLessThan(BOUND_MS);
  });

  it('still splits and checks ordinary text the same way', () => {
    expect(splitSentences('Dots... Then more. A. Smith et al. Showed it.')).toEqual([
      'Dots...',
      'Then more.',
      'A. Smith et al. Showed it.',
    ]);
    expect(checkAnswer('- Routing helps , see evil.example/x and [docs](https://x.io) [1] .', { paperCount: 2, maxBullets: 3 })).toEqual({
      bullets: ['Routing helps, see and docs [1].'],
      cited: [1],
    });
    expect(Object.keys(hostileTexts(10)).length).toBeGreaterThan(5);
  });
});
