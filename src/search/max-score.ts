import { IntList, lowerBound } from './int-list.js';
import type { Postings } from './postings.js';
import type { Ranked } from './ranking.js';
import type { Bm25Params, DerivedTerm, ScoringQuery, TermGroup } from './scorer.js';

/** What the caller ranks by, besides relevance. */
export interface Ranking {
  limit: number;
  /** The filters; asked only about documents good enough to make the cut. */
  keep(doc: number): boolean;
  /** The document's prior, a factor in [1, maxPrior]. */
  prior(doc: number): number;
  maxPrior: number;
}

/**
 * One additive part of a query's score: an index term the user's words reach (scored over its
 * postings), or a synonym phrase (scored beforehand, since it counts only where all its terms occur).
 */
type Unit =
  | { kind: 'term'; derived: DerivedTerm; idf: number; bound: number }
  | { kind: 'phrase'; docs: Int32Array; scores: Float64Array; bound: number };

/**
 * The top documents of a BM25F query (scorer.ts's `collectCombined` scores, summed, times the
 * prior) without scoring every posting: MaxScore (Turtle & Flood 1995), term at a time. Parts of
 * the query are taken from the highest score bound down; once the k-th best candidate so far beats
 * what all the remaining parts together could give a paper, no new paper can enter the top k, so
 * the remaining (common, low-weight) terms are only looked up for the candidates already found,
 * by galloping through their postings, and candidates that cannot reach the k-th best are dropped.
 * The result is exactly the exhaustive ranking, ties going to the lower document number.
 */
export class MaxScoreRanker {
  private scores = new Float64Array(0);
  private seen = new Int32Array(0);
  private termFreqs = new Float64Array(0);
  private termSeen = new Int32Array(0);
  private stamp = 0;
  private readonly found = new IntList();
  private readonly candidates = new IntList();
  /** Postings read in full by the last query (probes of a candidate not counted): what pruning saves. */
  postingsScanned = 0;
  /** The boost-weighted average document length, for the query being ranked. */
  private average = 0;
  /** Each document's boost-weighted length, kept as documents arrive (a document's length never changes). */
  private lengths = new Float64Array(0);
  private lengthsKnown = 0;

  constructor(
    private readonly postings: Postings,
    private readonly fieldBoosts: readonly number[],
    private readonly bm25: Bm25Params,
  ) {}

  top(query: ScoringQuery, ranking: Ranking): Ranked[] {
    this.prepare();
    const units = this.units(query).sort((a, b) => b.bound - a.bound);
    let remaining = units.reduce((sum, unit) => sum + unit.bound, 0);
    const epoch = ++this.stamp;
    const candidates = this.candidates;
    candidates.clear();
    let sorted: Int32Array | undefined;
    let kth = -Infinity;
    for (const [i, unit] of units.entries()) {
      const last = i === units.length - 1;
      remaining = last ? 0 : remaining - unit.bound;
      if (!sorted) {
        this.scoreAll(unit, epoch, candidates);
        if (last) break;
        kth = this.kthBest(candidates.view(), ranking);
        // No paper outside the candidates can now reach the k-th best: look up, never add.
        // Sorted in place: a fresh typed array per query is external memory, which brings on full GCs.
        if (kth > remaining * ranking.maxPrior) sorted = this.reachable(candidates.view(), remaining, kth, ranking).sort();
      } else {
        this.scoreCandidates(unit, sorted);
        sorted = this.reachable(sorted, remaining, kth, ranking);
        kth = this.kthBest(sorted, ranking);
      }
    }
    return this.best(sorted ?? candidates.view(), ranking);
  }

  /** The query's terms and phrases, each with the most it can add to a paper's relevance. */
  private units(query: ScoringQuery): Unit[] {
    const units: Unit[] = [];
    for (const group of query.own) {
      for (const derived of group.derived) {
        const idf = this.idf(derived.id);
        if (idf === undefined) continue;
        const { k, d } = this.bm25;
        // tf / (tf + k * norm) < 1, so a term adds less than weight * idf * (d + k + 1).
        units.push({ kind: 'term', derived, idf, bound: derived.weight * idf * (d + k + 1) });
      }
    }
    for (const { groups } of query.expansions) {
      const phrase = this.phrase(groups);
      if (phrase) units.push(phrase);
    }
    return units;
  }

  private idf(termId: number): number | undefined {
    const docFreq = this.postings.termDocFreq(termId);
    if (docFreq === 0) return undefined;
    return Math.log(1 + (this.postings.documentCount - docFreq + 0.5) / (docFreq + 0.5));
  }

  /**
   * A phrase's score in each paper that has every one of its groups (as Scorer.addPhrase): the
   * papers of its rarest group, narrowed by looking the other groups up in them.
   */
  private phrase(groups: TermGroup[]): Unit | undefined {
    const parts = groups.map((group) => group.derived.filter(({ id }) => this.postings.termDocFreq(id) > 0));
    if (parts.some((derived) => derived.length === 0)) return undefined;
    const docFreq = (derived: DerivedTerm[]) => derived.reduce((sum, { id }) => sum + this.postings.termDocFreq(id), 0);
    parts.sort((a, b) => docFreq(a) - docFreq(b));
    const epoch = ++this.stamp;
    const first = new IntList();
    for (const derived of parts[0]!) {
      const found = this.collectTermFreqs(derived.id);
      for (const doc of found) {
        if (this.seen[doc] !== epoch) {
          this.seen[doc] = epoch;
          this.scores[doc] = 0;
          first.push(doc);
        }
        this.scores[doc]! += this.termScore(derived.weight, this.idf(derived.id)!, doc, this.termFreqs[doc]!);
      }
    }
    let docs = first.view().slice().sort();
    for (const group of parts.slice(1)) {
      const inGroup = ++this.stamp;
      for (const term of group) {
        const stamp = this.probeTermFreqs(term.id, docs);
        for (const doc of docs) {
          if (this.termSeen[doc] !== stamp) continue;
          this.scores[doc]! += this.termScore(term.weight, this.idf(term.id)!, doc, this.termFreqs[doc]!);
          this.seen[doc] = inGroup;
        }
      }
      docs = docs.filter((doc) => this.seen[doc] === inGroup);
    }
    if (docs.length === 0) return undefined;
    const scores = Float64Array.from(docs, (doc) => this.scores[doc]!);
    return { kind: 'phrase', docs, scores, bound: Math.max(...scores) };
  }

  /** Adds the unit's score to every paper it occurs in, listing the papers new to `candidates`. */
  private scoreAll(unit: Unit, epoch: number, candidates: IntList): void {
    const { seen, scores } = this;
    const add = (doc: number, score: number) => {
      if (seen[doc] !== epoch) {
        seen[doc] = epoch;
        scores[doc] = 0;
        candidates.push(doc);
      }
      scores[doc]! += score;
    };
    if (unit.kind === 'phrase') {
      unit.docs.forEach((doc, i) => add(doc, unit.scores[i]!));
      return;
    }
    const found = this.collectTermFreqs(unit.derived.id);
    const { termFreqs, lengths } = this;
    const { k, b, d } = this.bm25;
    const { weight } = unit.derived;
    const { idf } = unit;
    const average = this.average;
    // termScore, inlined (the same expression, so the same bits): this loop runs once per posting.
    for (let i = 0; i < found.length; i++) {
      const doc = found[i]!;
      const tf = termFreqs[doc]!;
      const score = weight * (idf * (d + (tf * (k + 1)) / (tf + k * (1 - b + (b * lengths[doc]!) / average))));
      if (seen[doc] !== epoch) {
        seen[doc] = epoch;
        scores[doc] = score;
        candidates.push(doc);
      } else scores[doc]! += score;
    }
  }

  /** Adds the unit's score to the candidates (ascending) that have it, skipping the rest of its postings. */
  private scoreCandidates(unit: Unit, candidates: Int32Array): void {
    if (unit.kind === 'phrase') {
      let at = 0;
      for (const doc of candidates) {
        at = lowerBound(unit.docs, at, unit.docs.length, doc);
        if (at < unit.docs.length && unit.docs[at] === doc) this.scores[doc]! += unit.scores[at]!;
      }
      return;
    }
    const stamp = this.probeTermFreqs(unit.derived.id, candidates);
    for (const doc of candidates) {
      if (this.termSeen[doc] === stamp) this.scores[doc]! += this.termScore(unit.derived.weight, unit.idf, doc, this.termFreqs[doc]!);
    }
  }

  /**
   * For the candidates (ascending) that have the term: its boost-weighted frequency in termFreqs,
   * marked with the returned stamp in termSeen. Galloping skips the postings of other papers.
   */
  private probeTermFreqs(termId: number, candidates: Int32Array): number {
    const { termFreqs, termSeen, fieldBoosts } = this;
    const stamp = ++this.stamp;
    for (let field = 0; field < fieldBoosts.length; field++) {
      const boost = fieldBoosts[field]!;
      this.postings.forEachSlice(termId, field, (docs, freqs, start, end) => {
        let at = start;
        for (let c = lowerBound(candidates, 0, candidates.length, docs[start]!); c < candidates.length && at < end; c++) {
          const doc = candidates[c]!;
          at = gallop(docs, at, end, doc);
          if (at === end || docs[at] !== doc) continue;
          if (termSeen[doc] !== stamp) {
            termSeen[doc] = stamp;
            termFreqs[doc] = 0;
          }
          termFreqs[doc]! += boost * freqs[at]!;
        }
      });
    }
    return stamp;
  }

  /** The live papers that have the term, with their boost-weighted frequency of it in termFreqs. */
  private collectTermFreqs(termId: number): Int32Array {
    const { postings, fieldBoosts, termFreqs, termSeen, found } = this;
    const live = postings.live;
    // With no document removed, no posting needs the live check (the usual case after a load).
    const allLive = postings.documentCount === postings.documentSpan;
    const stamp = ++this.stamp;
    found.clear();
    // The field with the most postings first: each of its documents is new, so it needs no
    // seen check (the boosts are whole or half numbers, so the frequency sums are exact in any order).
    const fields = [...fieldBoosts.keys()].sort((a, b) => postings.docFreq(termId, b) - postings.docFreq(termId, a));
    fields.forEach((field, i) => {
      const boost = fieldBoosts[field]!;
      postings.forEachSlice(termId, field, (docs, freqs, start, end) => {
        this.postingsScanned += end - start;
        if (i === 0 && allLive) {
          for (let at = start; at < end; at++) {
            const doc = docs[at]!;
            termSeen[doc] = stamp;
            termFreqs[doc] = boost * freqs[at]!;
            found.push(doc);
          }
          return;
        }
        for (let at = start; at < end; at++) {
          const doc = docs[at]!;
          if (live[doc] === 0) continue;
          if (termSeen[doc] !== stamp) {
            termSeen[doc] = stamp;
            termFreqs[doc] = 0;
            found.push(doc);
          }
          termFreqs[doc]! += boost * freqs[at]!;
        }
      });
    });
    return found.view();
  }

  /** BM25F, the expression Scorer.collectCombined evaluates (so each term's score agrees to the bit). */
  private termScore(weight: number, idf: number, doc: number, tf: number): number {
    const { k, b, d } = this.bm25;
    return weight * (idf * (d + (tf * (k + 1)) / (tf + k * (1 - b + (b * this.lengths[doc]!) / this.average))));
  }

  /** The k-th best final score among the candidates that pass the filters (-Infinity if fewer). */
  private kthBest(candidates: ArrayLike<number>, ranking: Ranking): number {
    const best = this.best(candidates, ranking);
    return best.length < ranking.limit ? -Infinity : best.at(-1)!.score;
  }

  /**
   * The candidates that can still reach the k-th best with every remaining part. A paper at
   * exactly the k-th best stays: it may win the tie on its document number.
   */
  private reachable(candidates: Int32Array, remaining: number, kth: number, ranking: Ranking): Int32Array {
    let kept = 0;
    for (const doc of candidates) {
      if ((this.scores[doc]! + remaining) * ranking.prior(doc) >= kth) candidates[kept++] = doc;
    }
    return candidates.subarray(0, kept);
  }

  /** The best `limit` candidates by relevance times prior, then lower document number. */
  private best(candidates: ArrayLike<number>, ranking: Ranking): Ranked[] {
    const { limit } = ranking;
    const best: Ranked[] = [];
    for (let i = 0; i < candidates.length; i++) {
      const doc = candidates[i]!;
      const relevance = this.scores[doc]!;
      const worst = best.length < limit ? undefined : best[limit - 1]!;
      // The prior only raises a score: a paper whose relevance already loses is not looked at.
      if (worst && relevance * ranking.maxPrior < worst.score) continue;
      const score = relevance * ranking.prior(doc);
      if (worst && !outranks(score, doc, worst)) continue;
      if (!ranking.keep(doc)) continue;
      let at = best.length;
      while (at > 0 && outranks(score, doc, best[at - 1]!)) at--;
      best.splice(at, 0, { doc, score });
      if (best.length > limit) best.pop();
    }
    return best;
  }

  private measureNewDocuments(): void {
    const span = this.postings.documentSpan;
    if (span <= this.lengthsKnown) return;
    if (span > this.lengths.length) {
      const bigger = new Float64Array(Math.max(span, this.lengths.length * 2));
      bigger.set(this.lengths.subarray(0, this.lengthsKnown));
      this.lengths = bigger;
    }
    const fields = this.fieldBoosts.length;
    const tokens = this.postings.fieldTokenCounts;
    for (let doc = this.lengthsKnown; doc < span; doc++) {
      let length = 0;
      for (let field = 0; field < fields; field++) length += this.fieldBoosts[field]! * tokens[doc * fields + field]!;
      this.lengths[doc] = length;
    }
    this.lengthsKnown = span;
  }

  /** Sizes the scratch arrays to the documents, and restarts the stamps long before they overflow. */
  private prepare(): void {
    this.postingsScanned = 0;
    this.measureNewDocuments();
    this.average = 0;
    for (let field = 0; field < this.fieldBoosts.length; field++)
      this.average += this.fieldBoosts[field]! * this.postings.averageTokenCount(field);
    const span = this.postings.documentSpan;
    if (span > this.scores.length) {
      const size = Math.max(span, this.scores.length * 2);
      this.scores = new Float64Array(size);
      this.seen = new Int32Array(size);
      this.termFreqs = new Float64Array(size);
      this.termSeen = new Int32Array(size);
      this.stamp = 0;
    } else if (this.stamp > STAMP_LIMIT) {
      this.seen.fill(0);
      this.termSeen.fill(0);
      this.stamp = 0;
    }
  }
}

const STAMP_LIMIT = 2 ** 30;

function outranks(score: number, doc: number, other: Ranked): boolean {
  return score > other.score || (score === other.score && doc < other.doc);
}

/** lowerBound from `start`, stepping 1, 2, 4… first: cheap when the value is near, as it is for sorted lookups. */
function gallop(sorted: Int32Array, start: number, end: number, value: number): number {
  if (start >= end || sorted[start]! >= value) return start;
  let step = 1;
  let low = start;
  while (low + step < end && sorted[low + step]! < value) {
    low += step;
    step *= 2;
  }
  return lowerBound(sorted, low + 1, Math.min(end, low + step + 1), value);
}
