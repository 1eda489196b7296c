import type { Paper } from '../papers/paper.js';

// Upvotes at which popularity stops counting for more (log scale below it).
const UPVOTE_SATURATION = 200;
const RECENCY_HALF_LIFE_DAYS = 30;
const DAY_MS = 86_400_000;

// The largest boost is 1 + sum of these: enough to order near-ties, never to lift a weak match.
const POPULARITY_WEIGHT = 0.1;
const TRENDING_WEIGHT = 0.05;
const RECENCY_WEIGHT = 0.05;

export const MAX_PRIOR_BOOST = 1 + POPULARITY_WEIGHT + TRENDING_WEIGHT + RECENCY_WEIGHT;

/** A mild multiplicative boost in [1, MAX_PRIOR_BOOST] for popular, trending and recent papers. */
export function priorBoost(paper: Paper, now: Date): number {
  return (
    1 +
    POPULARITY_WEIGHT * popularity(paper.upvotes) +
    TRENDING_WEIGHT * trending(paper.trending?.rank) +
    RECENCY_WEIGHT * recency(paperDate(paper), now)
  );
}

/**
 * The date a paper is filed under, for --from/--to and recency: the day it trended on Daily Papers,
 * else (a paper that never trended, from a corpus file) its publication date. One meaning for every
 * paper: the Hub's publishedAt is the arXiv date, typically days before the paper trended.
 */
export function paperDate(paper: Paper): string | undefined {
  return paper.trending?.date ?? paper.publishedAt;
}

function popularity(upvotes: number): number {
  return Math.min(1, Math.log1p(upvotes) / Math.log1p(UPVOTE_SATURATION));
}

function trending(rank: number | undefined): number {
  return rank === undefined ? 0 : 1 / Math.sqrt(rank);
}

function recency(date: string | undefined, now: Date): number {
  if (!date) return 0;
  const ageDays = Math.max(0, (now.getTime() - Date.parse(date)) / DAY_MS);
  return 0.5 ** (ageDays / RECENCY_HALF_LIFE_DAYS);
}
