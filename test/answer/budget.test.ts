import { expect, test } from 'vitest';
import { allocate, fitPapers, trimText } from '../../src/answer/budget.js';
import { paper } from './fixtures.js';

const long = (id: string) => paper({ id, title: `Paper ${id}`, abstract: `${'Word '.repeat(400).trim()}.` });

test('allocate gives short wants in full and shares the rest evenly', () => {
  expect(allocate([100, 1000, 1000], 900)).toEqual([100, 400, 400]);
  expect(allocate([10, 20], 1000)).toEqual([10, 20]);
});

test('fitPapers caps the count and trims abstracts to the budget', () => {
  const papers = Array.from({ length: 12 }, (_, i) => long(String(i)));
  const fitted = fitPapers(papers, { maxPapers: 8, tokens: 2000 });
  expect(fitted.map((p) => p.n)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  const chars = fitted.reduce((sum, p) => sum + p.abstract.length + p.paper.title.length + 60, 0);
  expect(chars).toBeLessThanOrEqual(2000 * 4);
  expect(fitted[0]!.abstract.endsWith('…')).toBe(true);
});

test('fitPapers sends fewer papers rather than useless scraps', () => {
  const papers = Array.from({ length: 8 }, (_, i) => long(String(i)));
  // 1200 characters: three papers at 67 characters of title and tags leave 333 each, four would leave 233.
  expect(fitPapers(papers, { maxPapers: 8, tokens: 300 })).toHaveLength(3);
  expect(fitPapers(papers, { maxPapers: 8, tokens: 10 })).toHaveLength(1);
});

test('trimText cuts at a sentence end when one is near', () => {
  expect(trimText('First sentence here. Second one is longer than that.', 30)).toBe('First sentence here.');
  expect(trimText('short', 30)).toBe('short');
});
