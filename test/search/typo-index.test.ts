import { describe, expect, it } from 'vitest';
import { loadCorpus } from '../../src/papers/corpus.js';
import { DEFAULT_CORPUS } from '../../src/paths.js';
import { createAnalyzer } from '../../src/search/analyzer.js';
import { TypoIndex } from '../../src/search/typo-index.js';

/** Textbook Levenshtein, the full table: the reference the index must agree with. */
function levenshtein(a: string, b: string): number {
  const table = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      table[i]![j] = Math.min(table[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1), table[i - 1]![j]! + 1, table[i]![j - 1]! + 1);
    }
  }
  return table[a.length]![b.length]!;
}

describe('TypoIndex', () => {
  const analyzer = createAnalyzer();
  const vocabulary = [
    ...new Set(loadCorpus(DEFAULT_CORPUS).papers.flatMap((paper) => analyzer.terms(`${paper.title} ${paper.abstract}`))),
    'aaaaaaaa',
    'αβγδ',
    'naïve',
  ];
  const index = new TypoIndex();
  for (const term of vocabulary) index.add(term);

  const words = [
    ...vocabulary.filter((_, i) => i % 7 === 0),
    'distilaton',
    'distil',
    'transformr',
    'lanugage',
    'aaaaaaab',
    'aaaa',
    'αβγ',
    'naive',
    'qqqqqqqqqq',
    'x',
    '',
  ];

  it('finds exactly the terms within one or two edits, with their distance', () => {
    for (const word of words) {
      for (const maxDistance of [1, 2]) {
        const expected = vocabulary
          .map((term, i) => ({ term, index: i, distance: levenshtein(word, term) }))
          .filter(({ distance }) => distance <= maxDistance);
        const found = index.near(word, maxDistance);
        expect(
          found.sort((a, b) => a.index - b.index),
          `${word} within ${maxDistance}`,
        ).toEqual(expected);
      }
    }
  });

  it('sees terms added after a lookup', () => {
    const growing = new TypoIndex();
    growing.add('distillation');
    expect(growing.near('distilation', 1).map(({ term }) => term)).toEqual(['distillation']);
    growing.add('distillations');
    expect(growing.near('distilation', 2).map(({ term }) => term)).toEqual(['distillation', 'distillations']);
    expect(growing.size).toBe(2);
  });
});
