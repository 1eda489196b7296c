import type { Analyzer, Token } from './analyzer.js';
import type { Expander, Expansion } from './expansion.js';
import type { Postings } from './postings.js';
import type { DerivedTerm, ScoringQuery, TermGroup } from './scorer.js';

/** A term to search for, with the word it stands for and its weight in the score. */
export interface QueryTerm {
  term: string;
  surface: string;
  weight: number;
}

export interface QueryPlan {
  /** The user's own terms (or a paper's salient terms for "more like this"), deduplicated. */
  terms: QueryTerm[];
  /** Other names for phrases of the query, each scored only when all its terms occur. */
  expansions: Expansion[];
}

/** How much an expansion term counts next to one the user typed. */
export const EXPANSION_WEIGHT = 0.5;

export function planQuery(query: string, analyzer: Analyzer, expand?: Expander, countRepeats = false): QueryPlan {
  return {
    terms: weighTerms(analyzer.queryTokens(query), countRepeats),
    expansions: expand ? expand(query) : [],
  };
}

/**
 * One entry per term, with the first word it came from. With `countRepeats` a term weighs
 * as many times as the query says it, as Lucene sums a repeated clause; measured, that
 * helped Cranfield's questions and cost SciFact, so it is off by default.
 */
function weighTerms(tokens: Token[], countRepeats: boolean): QueryTerm[] {
  const terms = new Map<string, QueryTerm>();
  for (const { term, surface } of tokens) {
    const known = terms.get(term);
    if (!known) terms.set(term, { term, surface, weight: 1 });
    else if (countRepeats) known.weight += 1;
  }
  return [...terms.values()];
}

/** Max edit distance per term (0 for none). */
export type FuzzyPolicy = (term: string) => number;

/** How to reach index terms from a query term, and what such matches weigh (MiniSearch's rules). */
export interface TermMatching {
  fuzzy: FuzzyPolicy;
  prefix: boolean;
  fuzzyWeight: number;
  prefixWeight: number;
  /** Search only a confident correction of a misspelt word, not every close word. */
  confidentOnly: boolean;
}

/**
 * The plan as a scoring query: the user's terms OR-ed, each expansion an AND-group.
 * Within an expansion, terms the user typed weigh nothing, so "lifelong learning" →
 * "continual learning" adds "continual", not a second "learning".
 */
export function toScoringQuery(plan: QueryPlan, matching: TermMatching, postings: Postings, coordination: boolean): ScoringQuery {
  const planned = new Set(plan.terms.map(({ term }) => term));
  return {
    own: plan.terms.map(({ term, weight }) => termGroup(term, weight, matching, postings)),
    expansions: plan.expansions.map((expansion) => ({
      groups: expansion.terms.map((term) =>
        termGroup(term, planned.has(term) ? 0 : EXPANSION_WEIGHT, { ...matching, fuzzy: () => 0 }, postings),
      ),
      counts: expansion.terms.some((term) => !planned.has(term)),
    })),
    coordination,
  };
}

/**
 * The index terms a query term matches, as MiniSearch finds and weighs them: itself, then
 * longer terms it starts (if prefix search is on), then terms within the typo distance;
 * a derived term weighs less the further it is from the query term.
 */
function termGroup(source: string, boost: number, matching: TermMatching, postings: Postings): TermGroup {
  const derived: DerivedTerm[] = [];
  const add = (term: string, id: number, weight: number) => {
    if (postings.occurs(id)) derived.push({ term, id, weight: weight * boost });
  };
  const exact = postings.termId(source);
  if (exact !== undefined) add(source, exact, 1);
  const extended = new Set<string>();
  if (matching.prefix) {
    for (const [term, id] of postings.termsStartingWith(source)) {
      const distance = term.length - source.length;
      if (distance === 0) continue;
      extended.add(term);
      add(term, id, (matching.prefixWeight * term.length) / (term.length + 0.3 * distance));
    }
  }
  const maxDistance = matching.fuzzy(source);
  if (maxDistance > 0) {
    const close: Correction[] = [];
    for (const { term, index: id, distance } of postings.typos.near(source, maxDistance)) {
      if (distance > 0 && !extended.has(term) && postings.occurs(id)) close.push({ term, id, distance, docFreq: postings.termDocFreq(id) });
    }
    const chosen = matching.confidentOnly ? confidentCorrection(close) : close;
    for (const { term, id, distance } of chosen) add(term, id, (matching.fuzzyWeight * term.length) / (term.length + distance));
  }
  return { source, derived };
}

interface Correction {
  term: string;
  id: number;
  distance: number;
  docFreq: number;
}

/** How many times more papers the best correction must have than the next one at its distance. */
const CONFIDENT_MARGIN = 4;

/**
 * The one correction to trust, if any: the closest term, when no other term is as close or
 * it is far more common than the others that are ("distilaton" -> "distillation"; "bold" has
 * "old", "bolt", "hold" and "gold" at one edit, so it is left alone).
 */
export function confidentCorrection(close: readonly Correction[]): Correction[] {
  if (close.length === 0) return [];
  const nearest = Math.min(...close.map(({ distance }) => distance));
  const tied = close.filter(({ distance }) => distance === nearest).sort((a, b) => b.docFreq - a.docFreq);
  const [best, next] = tied;
  return !next || best!.docFreq >= CONFIDENT_MARGIN * next.docFreq ? [best!] : [];
}

/** True when all of an expansion's terms matched and it added a word the query lacked. */
export function expansionMatched(expansion: Expansion, planned: ReadonlySet<string>, hitTerms: ReadonlySet<string>): boolean {
  return expansion.terms.some((term) => !planned.has(term)) && expansion.terms.every((term) => hitTerms.has(term));
}
