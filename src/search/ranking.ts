import { MAX_PRIOR_BOOST } from './prior.js';
import { TopK } from './top-k.js';

export interface Ranked {
  doc: number;
  score: number;
}

/**
 * The `limit` best documents by relevance among those `keep` accepts, best first, ties to
 * the earlier listed. `keep` is only asked about documents good enough to make the cut.
 */
export function bestDocs(
  docs: ArrayLike<number>,
  limit: number,
  relevance: (doc: number) => number,
  keep: (doc: number) => boolean,
): Ranked[] {
  const best = new TopK<number>(limit);
  for (let i = 0; i < docs.length; i++) {
    const doc = docs[i]!;
    const score = relevance(doc);
    if (best.accepts(score) && keep(doc)) best.offer(doc, score);
  }
  const scores = best.itemScores();
  return best.items().map((doc, i) => ({ doc, score: scores[i]! }));
}

/**
 * The top `limit` after the popularity prior. The prior only ever multiplies by 1 to
 * MAX_PRIOR_BOOST, so documents whose relevance is below the limit-th best divided by
 * that cannot make the cut and are never looked at (a large saving on common words).
 */
export function bestDocsWithPrior(
  docs: ArrayLike<number>,
  limit: number,
  relevance: (doc: number) => number,
  keep: (doc: number) => boolean,
  prior: (doc: number) => number,
): Ranked[] {
  const kth = bestDocs(docs, limit, relevance, keep).at(-1);
  if (!kth) return [];
  const floor = kth.score / MAX_PRIOR_BOOST;
  const best = new TopK<number>(limit);
  for (let i = 0; i < docs.length; i++) {
    const doc = docs[i]!;
    const score = relevance(doc);
    if (score >= floor && keep(doc)) best.offer(doc, score * prior(doc));
  }
  const scores = best.itemScores();
  return best.items().map((doc, i) => ({ doc, score: scores[i]! }));
}
