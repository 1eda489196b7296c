import type { Paper } from '../../src/papers/paper.js';
import { splitSentences } from '../../src/search/sentences.js';

/** The seed bench:search and bench:startup recombine with, so that both measure the same papers. */
export const RECOMBINE_SEED = 20_251_127;

/**
 * Papers made of real abstract sentences, shuffled across abstracts (deterministic for a given
 * random source): distinct texts with a real vocabulary, for benchmarks at sizes no judged collection
 * has. Ids are `synthetic-<i>`.
 */
export function recombine(source: Paper[], count: number, random: () => number): Paper[] {
  const sentences = source.flatMap((paper) => splitSentences(paper.abstract));
  const pick = <T>(items: T[]) => items[Math.floor(random() * items.length)]!;
  return Array.from({ length: count }, (_, i) => {
    const length = 4 + Math.floor(random() * 7);
    return {
      ...pick(source),
      id: `synthetic-${i}`,
      title: pick(source).title,
      abstract: Array.from({ length }, () => pick(sentences)).join(' '),
    };
  });
}
