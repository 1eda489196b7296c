import { describe, expect, it } from 'vitest';
import { topK } from '../../src/search/top-k.js';

describe('topK', () => {
  const score = (item: { score: number }) => item.score;

  it('returns the k best, best first', () => {
    const items = [3, 9, 1, 7, 5, 8].map((value) => ({ score: value }));
    expect(topK(items, 3, score).map(score)).toEqual([9, 8, 7]);
  });

  it('keeps the earlier item on equal scores', () => {
    const items = [
      { score: 1, id: 'a' },
      { score: 2, id: 'b' },
      { score: 1, id: 'c' },
      { score: 2, id: 'd' },
    ];
    expect(topK(items, 3, score).map((item) => item.id)).toEqual(['b', 'd', 'a']);
  });

  it('returns everything when there are fewer than k, and nothing for k = 0', () => {
    expect(topK([{ score: 1 }], 5, score)).toHaveLength(1);
    expect(topK([{ score: 1 }], 0, score)).toEqual([]);
  });
});
