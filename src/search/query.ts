import type { Query } from 'minisearch';
import type { Analyzer } from './analyzer.js';
import type { Expander, Expansion } from './expansion.js';

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

export function planQuery(query: string, analyzer: Analyzer, expand?: Expander): QueryPlan {
  return {
    terms: uniqueTerms(analyzer.tokens(query).map((token) => ({ ...token, weight: 1 }))),
    expansions: expand ? expand(query) : [],
  };
}

/** Keeps the first of each term, so a repeated word or stem does not count twice. */
function uniqueTerms(terms: QueryTerm[]): QueryTerm[] {
  const seen = new Set<string>();
  return terms.filter(({ term }) => !seen.has(term) && seen.add(term));
}

/** Max edit distance per term (0 for none). */
export type FuzzyPolicy = (term: string) => number;

/**
 * The plan as a MiniSearch query over pre-analyzed terms: the user's terms OR-ed, each
 * expansion an AND-group. Within an expansion, terms the user typed weigh nothing, so
 * "lifelong learning" → "continual learning" adds "continual", not a second "learning".
 */
export function toMiniSearchQuery(plan: QueryPlan, fuzzy: FuzzyPolicy): Query {
  const weights = new Map(plan.terms.map(({ term, weight }) => [term, weight]));
  const queries: Query[] = [];
  if (plan.terms.length > 0) {
    queries.push({
      combineWith: 'OR',
      queries: [plan.terms.map(({ term }) => term).join(' ')],
      boostTerm: (term) => weights.get(term) ?? 1,
      fuzzy: (term) => fuzzy(term) || false,
    });
  }
  for (const expansion of plan.expansions) {
    queries.push({
      combineWith: 'AND',
      queries: [expansion.terms.join(' ')],
      boostTerm: (term) => (weights.has(term) ? 0 : EXPANSION_WEIGHT),
      fuzzy: false,
    });
  }
  return { combineWith: 'OR', queries };
}

/** True when all of an expansion's terms matched and it added a word the query lacked. */
export function expansionMatched(expansion: Expansion, planned: ReadonlySet<string>, hitTerms: ReadonlySet<string>): boolean {
  return expansion.terms.some((term) => !planned.has(term)) && expansion.terms.every((term) => hitTerms.has(term));
}
