import type { SearchHit } from './types.js';

/**
 * A hit scoring below this share of the best hit's score is a weak match: typically it
 * shares one common word of the query and none of the rest. Chosen, not tuned (see
 * bench/quality.ts "relevance floor" for what it keeps on each judged set).
 */
export const RELEVANCE_FLOOR = 0.4;

/**
 * The hits that match well, best first: those scoring at least RELEVANCE_FLOOR of the best
 * one. Callers that show "N papers match well" use this list's length, and pad nothing.
 */
export function wellMatched<T extends Pick<SearchHit, 'score'>>(hits: readonly T[], floor = RELEVANCE_FLOOR): T[] {
  const best = hits[0]?.score ?? 0;
  return hits.filter((hit) => hit.score >= best * floor);
}
