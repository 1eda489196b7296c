import type { Postings } from './postings.js';

export interface Bm25Params {
  k: number;
  b: number;
  /** BM25+'s lower bound for a matching term's frequency component. */
  d: number;
}

/** An index term a query word reaches (itself, a typo neighbour, an extension) and its weight. */
export interface DerivedTerm {
  term: string;
  id: number;
  weight: number;
}

/** A query word, or a term of a synonym phrase, with the index terms it matches. */
export interface TermGroup {
  source: string;
  derived: DerivedTerm[];
}

export interface ScoringQuery {
  /** The query's own words; a paper matching any of them is a candidate. */
  own: TermGroup[];
  /**
   * Synonym phrases, each scored only for papers matching all its groups; `counts` says
   * whether matching the phrase counts as matching one more part of the query.
   */
  expansions: { groups: TermGroup[]; counts: boolean }[];
  /** Multiply by the number of parts matched (MiniSearch's default "quality"). */
  coordination: boolean;
}

/** Scores of the documents a query matched, valid until the scorer's next query. */
export interface Scores {
  docs: readonly number[];
  relevance(doc: number): number;
}

/**
 * BM25 over the postings, term at a time into dense per-document accumulators, computed
 * as MiniSearch computes it: per field, with the field's own document frequency and
 * average length, times the field boost and the term's weight, summed over fields and
 * terms. Documents are listed in the order MiniSearch first meets them, so ties break
 * the same way.
 */
export class Scorer {
  private scores = new Float64Array(0);
  private parts = new Uint16Array(0);
  private seen = new Int32Array(0);
  private counted = new Int32Array(0);
  private phraseScores = new Float64Array(0);
  private phraseParts = new Uint16Array(0);
  private phraseSeen = new Int32Array(0);
  private stamp = 0;
  private touched: number[] = [];

  constructor(
    private readonly postings: Postings,
    private readonly fieldBoosts: readonly number[],
    private readonly bm25: Bm25Params,
  ) {}

  score(query: ScoringQuery): Scores {
    this.prepare();
    const epoch = ++this.stamp;
    this.touched = [];
    for (const group of query.own) {
      const part = ++this.stamp;
      for (const derived of group.derived) {
        this.collect(derived, this.scores, this.parts, this.seen, epoch, this.touched, part);
      }
    }
    for (const expansion of query.expansions) this.addPhrase(expansion.groups, expansion.counts, epoch);
    const { scores, parts } = this;
    const relevance = query.coordination
      ? (doc: number) => scores[doc]! * Math.max(1, parts[doc]!)
      : (doc: number) => scores[doc]!;
    return { docs: this.touched, relevance };
  }

  /** Adds a phrase's score to the documents that contain every one of its terms. */
  private addPhrase(groups: TermGroup[], counts: boolean, epoch: number): void {
    const phraseEpoch = ++this.stamp;
    const candidates: number[] = [];
    for (const group of groups) {
      const part = ++this.stamp;
      for (const derived of group.derived) {
        this.collect(derived, this.phraseScores, this.phraseParts, this.phraseSeen, phraseEpoch, candidates, part);
      }
    }
    for (const doc of candidates) {
      if (this.phraseParts[doc] !== groups.length) continue;
      this.touch(doc, epoch);
      this.scores[doc]! += this.phraseScores[doc]!;
      if (counts) this.parts[doc]! += 1;
    }
  }

  /**
   * Adds the term's BM25 score, field by field, to `scores`; counts one part per
   * document for each `part` stamp, however many fields or derived terms match.
   */
  private collect(
    derived: DerivedTerm,
    scores: Float64Array,
    parts: Uint16Array,
    seen: Int32Array,
    epoch: number,
    touched: number[],
    part: number,
  ): void {
    const { postings, counted } = this;
    const { k, b, d } = this.bm25;
    const live = postings.live;
    const lengths = postings.fieldLengths;
    const fields = postings.fieldCount;
    const total = postings.documentCount;
    for (let field = 0; field < fields; field++) {
      const docFreq = postings.docFreq(derived.id, field);
      if (docFreq === 0) continue;
      const idf = Math.log(1 + (total - docFreq + 0.5) / (docFreq + 0.5));
      const average = postings.averageFieldLength(field);
      const scale = derived.weight * this.fieldBoosts[field]!;
      postings.forEachSlice(derived.id, field, (docs, freqs, start, end) => {
        for (let i = start; i < end; i++) {
          const doc = docs[i]!;
          if (live[doc] === 0) continue;
          const tf = freqs[i]!;
          const length = lengths[doc * fields + field]!;
          const score = scale * (idf * (d + (tf * (k + 1)) / (tf + k * (1 - b + (b * length) / average))));
          if (seen[doc] !== epoch) {
            seen[doc] = epoch;
            scores[doc] = 0;
            parts[doc] = 0;
            touched.push(doc);
          }
          scores[doc]! += score;
          if (counted[doc] !== part) {
            counted[doc] = part;
            parts[doc]! += 1;
          }
        }
      });
    }
  }

  private touch(doc: number, epoch: number): void {
    if (this.seen[doc] === epoch) return;
    this.seen[doc] = epoch;
    this.scores[doc] = 0;
    this.parts[doc] = 0;
    this.touched.push(doc);
  }

  /** Sizes the accumulators to the documents, and restarts the stamps long before they overflow. */
  private prepare(): void {
    const span = this.postings.documentSpan;
    if (span > this.scores.length) {
      const size = Math.max(span, this.scores.length * 2);
      this.scores = new Float64Array(size);
      this.parts = new Uint16Array(size);
      this.seen = new Int32Array(size);
      this.counted = new Int32Array(size);
      this.phraseScores = new Float64Array(size);
      this.phraseParts = new Uint16Array(size);
      this.phraseSeen = new Int32Array(size);
      this.stamp = 0;
    } else if (this.stamp > STAMP_LIMIT) {
      this.seen.fill(0);
      this.counted.fill(0);
      this.phraseSeen.fill(0);
      this.stamp = 0;
    }
  }
}

const STAMP_LIMIT = 2 ** 30;
