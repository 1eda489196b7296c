import { IntList } from './int-list.js';
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
  docs: ArrayLike<number>;
  relevance(doc: number): number;
}

/**
 * How fields and their lengths count: MiniSearch's sum of per-field BM25 scores with a
 * field's length as its number of distinct terms; the same sum with Lucene's field
 * lengths (all terms, stored lossily in one byte, as Anserini's BM25 runs use them); or BM25F.
 */
export type FieldScoring = 'per-field' | 'lucene' | 'bm25f';

/** Where term scores accumulate, per document: the query's, or one synonym phrase's. */
interface Target {
  scores: Float64Array;
  /** Parts of the query (or terms of the phrase) matched. */
  parts: Uint16Array;
  /** Equal to epoch once the document has an entry in this round. */
  seen: Int32Array;
  epoch: number;
  /** The documents with an entry, in the order first met. */
  matched: IntList;
}

/**
 * BM25 over the postings, term at a time into dense per-document accumulators. By
 * default computed as MiniSearch computes it: per field, with the field's own document
 * frequency and average length, times the field boost and the term's weight, summed over
 * fields and terms. Documents are listed in the order MiniSearch first meets them, so
 * ties break the same way.
 */
export class Scorer {
  private main = target(0);
  private phrase = target(0);
  /** Equal to the current part's stamp once the document has counted that part. */
  private counted = new Int32Array(0);
  /** BM25F's per-document weighted term frequency for the term being scored. */
  private termFreqs = new Float64Array(0);
  private termSeen = new Int32Array(0);
  private readonly termMatched = new IntList();
  private stamp = 0;

  constructor(
    private readonly postings: Postings,
    private readonly fieldBoosts: readonly number[],
    private readonly bm25: Bm25Params,
    private readonly fieldScoring: FieldScoring = 'per-field',
  ) {}

  score(query: ScoringQuery): Scores {
    this.prepare();
    const main = this.start(this.main);
    for (const group of query.own) {
      const part = ++this.stamp;
      for (const derived of group.derived) this.collect(derived, main, part);
    }
    for (const expansion of query.expansions) this.addPhrase(expansion.groups, expansion.counts);
    const { scores, parts } = main;
    const relevance = query.coordination ? (doc: number) => scores[doc]! * Math.max(1, parts[doc]!) : (doc: number) => scores[doc]!;
    return { docs: main.matched.view(), relevance };
  }

  /** Adds a phrase's score to the documents that contain every one of its terms. */
  private addPhrase(groups: TermGroup[], counts: boolean): void {
    const phrase = this.start(this.phrase);
    for (const group of groups) {
      const part = ++this.stamp;
      for (const derived of group.derived) this.collect(derived, phrase, part);
    }
    const part = counts ? ++this.stamp : NO_PART;
    for (const doc of phrase.matched.view()) {
      if (phrase.parts[doc] === groups.length) this.add(this.main, doc, phrase.scores[doc]!, part);
    }
  }

  private start(target: Target): Target {
    target.epoch = ++this.stamp;
    target.matched.clear();
    return target;
  }

  /** Adds the term's BM25 score to the target's documents; counts one part per document per `part` stamp. */
  private collect(derived: DerivedTerm, target: Target, part: number): void {
    if (this.fieldScoring === 'bm25f') this.collectCombined(derived, target, part);
    else this.collectPerField(derived, target, part);
  }

  /** MiniSearch's BM25: each field scored on its own (own document frequency and average length), summed. */
  private collectPerField(derived: DerivedTerm, target: Target, part: number): void {
    const { postings } = this;
    const { k, b, d } = this.bm25;
    const live = postings.live;
    const lucene = this.fieldScoring === 'lucene';
    const lengths = lucene ? postings.fieldTokenCounts : postings.fieldLengths;
    const fields = postings.fieldCount;
    const total = postings.documentCount;
    for (let field = 0; field < fields; field++) {
      const docFreq = postings.docFreq(derived.id, field);
      if (docFreq === 0) continue;
      const idf = Math.log(1 + (total - docFreq + 0.5) / (docFreq + 0.5));
      const average = lucene ? postings.averageTokenCount(field) : postings.averageFieldLength(field);
      const scale = derived.weight * this.fieldBoosts[field]!;
      postings.forEachSlice(derived.id, field, (docs, freqs, start, end) => {
        for (let i = start; i < end; i++) {
          const doc = docs[i]!;
          if (live[doc] === 0) continue;
          const tf = freqs[i]!;
          const length = lucene ? luceneLength(lengths[doc * fields + field]!) : lengths[doc * fields + field]!;
          this.add(target, doc, scale * (idf * (d + (tf * (k + 1)) / (tf + k * (1 - b + (b * length) / average)))), part);
        }
      });
    }
  }

  /**
   * BM25F (Robertson et al., 2004): the fields as one document whose term frequencies and
   * length are the boost-weighted sums over fields, with one document frequency (any field).
   */
  private collectCombined(derived: DerivedTerm, target: Target, part: number): void {
    const { postings, fieldBoosts, termFreqs, termSeen } = this;
    const { k, b, d } = this.bm25;
    const live = postings.live;
    const fields = postings.fieldCount;
    const tokens = postings.fieldTokenCounts;
    const docFreq = postings.termDocFreq(derived.id);
    if (docFreq === 0) return;
    const idf = Math.log(1 + (postings.documentCount - docFreq + 0.5) / (docFreq + 0.5));
    let average = 0;
    for (let field = 0; field < fields; field++) average += fieldBoosts[field]! * postings.averageTokenCount(field);
    const stamp = ++this.stamp;
    const found = this.termMatched;
    found.clear();
    for (let field = 0; field < fields; field++) {
      const boost = fieldBoosts[field]!;
      postings.forEachSlice(derived.id, field, (docs, freqs, start, end) => {
        for (let i = start; i < end; i++) {
          const doc = docs[i]!;
          if (live[doc] === 0) continue;
          if (termSeen[doc] !== stamp) {
            termSeen[doc] = stamp;
            termFreqs[doc] = 0;
            found.push(doc);
          }
          termFreqs[doc]! += boost * freqs[i]!;
        }
      });
    }
    for (const doc of found.view()) {
      let length = 0;
      for (let field = 0; field < fields; field++) length += fieldBoosts[field]! * tokens[doc * fields + field]!;
      const tf = termFreqs[doc]!;
      this.add(target, doc, derived.weight * (idf * (d + (tf * (k + 1)) / (tf + k * (1 - b + (b * length) / average)))), part);
    }
  }

  private add(target: Target, doc: number, score: number, part: number): void {
    const { scores, parts, seen } = target;
    if (seen[doc] !== target.epoch) {
      seen[doc] = target.epoch;
      scores[doc] = 0;
      parts[doc] = 0;
      target.matched.push(doc);
    }
    scores[doc]! += score;
    if (part !== NO_PART && this.counted[doc] !== part) {
      this.counted[doc] = part;
      parts[doc]! += 1;
    }
  }

  /** Sizes the accumulators to the documents, and restarts the stamps long before they overflow. */
  private prepare(): void {
    const span = this.postings.documentSpan;
    if (span > this.counted.length) {
      const size = Math.max(span, this.counted.length * 2);
      this.main = target(size);
      this.phrase = target(size);
      this.counted = new Int32Array(size);
      this.termFreqs = new Float64Array(size);
      this.termSeen = new Int32Array(size);
      this.stamp = 0;
    } else if (this.stamp > STAMP_LIMIT) {
      for (const stamps of [this.main.seen, this.phrase.seen, this.counted, this.termSeen]) stamps.fill(0);
      this.stamp = 0;
    }
  }
}

function target(size: number): Target {
  return { scores: new Float64Array(size), parts: new Uint16Array(size), seen: new Int32Array(size), epoch: 0, matched: new IntList() };
}

// Lucene's SmallFloat.intToByte4: lengths below 24 exact, larger ones kept to 4 significant bits.
const LUCENE_EXACT_LENGTHS = 24;

/** A field length as Lucene stores it (one byte) and reads it back. */
export function luceneLength(length: number): number {
  if (length < LUCENE_EXACT_LENGTHS) return length;
  const rest = length - LUCENE_EXACT_LENGTHS;
  const bits = 32 - Math.clz32(rest);
  if (bits < 4) return length;
  const shift = bits - 4;
  return LUCENE_EXACT_LENGTHS + ((rest >>> shift) << shift);
}

/** A score that adds to no part of the query (a phrase the user's words already cover). */
const NO_PART = -1;
const STAMP_LIMIT = 2 ** 30;
