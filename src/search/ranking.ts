import type { SearchResult } from 'minisearch';
import type { Paper } from '../papers/paper.js';
import { MAX_PRIOR_BOOST, priorBoost } from './prior.js';
import { expansionMatched, type QueryPlan } from './query.js';
import { topK } from './top-k.js';

export interface Candidate {
  paper: Paper;
  result: SearchResult;
  score: number;
}

export const byScore = (candidate: Candidate) => candidate.score;

/**
 * The relevance of a MiniSearch result: BM25 summed over the matched terms, times how many
 * parts of the query matched, as MiniSearch scores (covering more of the query measured
 * better on both sets), except that a synonym phrase counts as one part, not one per
 * word, so it cannot outweigh the words the user typed. (Counting a compound like "IL-6"
 * as one part measured worse.) Without coordination, the plain BM25 sum.
 */
export function relevanceOf(plan: QueryPlan, coordination: boolean): (result: SearchResult) => number {
  if (!coordination) return (result) => result.score / result.queryTerms.length;
  if (plan.expansions.length === 0) return (result) => result.score;
  const planned = new Set(plan.terms.map(({ term }) => term));
  return (result) => (result.score / result.queryTerms.length) * Math.max(1, coverage(plan, planned, new Set(result.queryTerms)));
}

/** How many parts of the query a paper matched: each own term, and each synonym phrase as one. */
function coverage(plan: QueryPlan, planned: ReadonlySet<string>, hitTerms: ReadonlySet<string>): number {
  let parts = 0;
  for (const { term } of plan.terms) if (hitTerms.has(term)) parts += 1;
  for (const expansion of plan.expansions) if (expansionMatched(expansion, planned, hitTerms)) parts += 1;
  return parts;
}

/**
 * The top `limit` after the popularity prior. The prior only ever multiplies by 1 to
 * MAX_PRIOR_BOOST, so papers whose relevance is below the limit-th best divided by that
 * cannot make the cut and are never looked at (a large saving on common words).
 */
export function withPrior(candidates: Candidate[], limit: number, now: Date): Candidate[] {
  const kth = topK(candidates, limit, byScore).at(-1);
  if (!kth) return [];
  const floor = kth.score / MAX_PRIOR_BOOST;
  const contenders = candidates
    .filter((candidate) => candidate.score >= floor)
    .map((candidate) => ({ ...candidate, score: candidate.score * priorBoost(candidate.paper, now) }));
  return topK(contenders, limit, byScore);
}
