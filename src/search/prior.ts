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

/**
 * What ranking and the filters read of each document, kept in typed arrays so that neither inflates a
 * paper (packed-papers.ts) nor parses a date per candidate: the prior's lasting part, the paper's date
 * (ms, NaN when it has none) and its upvotes. `boost` is a mild multiplicative boost in [1, MAX_PRIOR_BOOST] for popular, trending and recent papers.
 */
export class Priors {
  private lasting: Float64Array = new Float64Array(256);
  private dates: Float64Array = new Float64Array(256);
  private votes: Int32Array = new Int32Array(256);

  /** Facts that compacted() gave, documents 0..n-1 in order. */
  static restore(facts: PriorFacts): Priors {
    const priors = new Priors();
    priors.lasting = facts.lasting;
    priors.dates = facts.dates;
    priors.votes = facts.upvotes;
    return priors;
  }

  set(doc: number, paper: Paper): void {
    if (doc >= this.lasting.length) {
      const size = Math.max(doc + 1, this.lasting.length * 2);
      this.lasting = copied(this.lasting, new Float64Array(size));
      this.dates = copied(this.dates, new Float64Array(size));
      this.votes = copied(this.votes, new Int32Array(size));
    }
    this.lasting[doc] = lastingPart(paper);
    this.dates[doc] = dateMs(paper);
    this.votes[doc] = paper.upvotes;
  }

  boost(doc: number, nowMs: number): number {
    return 1 + this.lasting[doc]! + RECENCY_WEIGHT * recency(this.dates[doc]!, nowMs);
  }

  /** The paperDate in ms (UTC midnight), NaN when the paper has none. */
  dateMs(doc: number): number {
    return this.dates[doc]!;
  }

  upvotes(doc: number): number {
    return this.votes[doc]!;
  }

  /** The live documents' facts in `docs` order (for a snapshot). */
  compacted(docs: ArrayLike<number>): PriorFacts {
    const pick = <T extends Float64Array | Int32Array>(from: T, to: T): T => {
      for (let i = 0; i < docs.length; i++) to[i] = from[docs[i]!]!;
      return to;
    };
    return {
      lasting: pick(this.lasting, new Float64Array(docs.length)),
      dates: pick(this.dates, new Float64Array(docs.length)),
      upvotes: pick(this.votes, new Int32Array(docs.length)),
    };
  }
}

export interface PriorFacts {
  lasting: Float64Array;
  dates: Float64Array;
  upvotes: Int32Array;
}

function lastingPart(paper: Paper): number {
  return POPULARITY_WEIGHT * popularity(paper.upvotes) + TRENDING_WEIGHT * trending(paper.trending?.rank);
}

/** The paper's date in ms, NaN when it has none (or none that parses). */
function dateMs(paper: Paper): number {
  const date = paperDate(paper);
  return date ? Date.parse(date) : Number.NaN;
}

function copied<T extends Float64Array | Int32Array>(values: T, bigger: T): T {
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
