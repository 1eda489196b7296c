import { describe, expect, it } from 'vitest';
import { ndcgAtK, recallAtK } from '../../src/search/metrics.js';

describe('ndcgAtK', () => {
  it('is 1 for the ideal ranking', () => {
    expect(ndcgAtK(['a', 'b', 'c'], { a: 2, b: 1 }, 10)).toBe(1);
  });

  it('uses gain = grade and a log2 discount, ideal from all judged documents', () => {
    // DCG = 1/log2(2) + 2/log2(4) = 2; ideal = 2/log2(2) + 1/log2(3).
    expect(ndcgAtK(['b', 'x', 'a'], { a: 2, b: 1 }, 10)).toBeCloseTo(2 / (2 + 1 / Math.log2(3)), 10);
  });

  it('counts only the first k results but all judged documents in the ideal', () => {
    expect(ndcgAtK(['x', 'a'], { a: 1 }, 1)).toBe(0);
    expect(ndcgAtK(['a'], { a: 1, b: 1 }, 10)).toBeCloseTo(1 / (1 + 1 / Math.log2(3)), 10);
  });

  it('is 0 for a query without relevant documents', () => {
    expect(ndcgAtK(['a'], { a: 0 }, 10)).toBe(0);
  });
});

describe('recallAtK', () => {
  it('is the share of relevant documents in the first k', () => {
    expect(recallAtK(['a', 'x', 'b'], { a: 1, b: 2, c: 1, d: 0 }, 2)).toBeCloseTo(1 / 3, 10);
  });
});
