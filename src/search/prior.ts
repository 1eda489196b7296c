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
  return 1 + lastingPart(paper) + RECENCY_WEIGHT * recency(dateMs(paper), now.getTime());
}

/**
 * Each document's prior, kept as the part that lasts and the paper's date, so ranking works out
 * only the recency (no date parsing per candidate). Equal to priorBoost to the bit.
 */
export class Priors {
  private lasting: Float64Array = new Float64Array(256);
  private dates: Float64Array = new Float64Array(256);

  set(doc: number, paper: Paper): void {
    if (doc >= this.lasting.length) {
      const size = Math.max(doc + 1, this.lasting.length * 2);
      this.lasting = copied(this.lasting, size);
      this.dates = copied(this.dates, size);
    }
    this.lasting[doc] = lastingPart(paper);
    this.dates[doc] = dateMs(paper);
  }

  boost(doc: number, nowMs: number): number {
    return 1 + this.lasting[doc]! + RECENCY_WEIGHT * recency(this.dates[doc]!, nowMs);
  }
}

function lastingPart(paper: Paper): number {
  return POPULARITY_WEIGHT * popularity(paper.upvotes) + TRENDING_WEIGHT * trending(paper.trending?.rank);
}

/** The paper's date in ms, NaN when it has none (or none that parses). */
function dateMs(paper: Paper): number {
  const date = paperDate(paper);
  return date ? Date.parse(date) : Number.NaN;
}

function copied(values: Float64Array, size: number): Float64Array {
  const bigger = new Float64Array(size);
  bigger.set(values);
  return bigger;
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

function recency(dateMs: number, nowMs: number): number {
  if (Number.isNaN(dateMs)) return 0;
  const ageDays = Math.max(0, (nowMs - dateMs) / DAY_MS);
  return 0.5 ** (ageDays / RECENCY_HALF_LIFE_DAYS);
}
