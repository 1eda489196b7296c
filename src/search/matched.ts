import type { Postings } from './postings.js';
import { expansionMatched, type QueryPlan } from './query.js';
import type { ScoringQuery, TermGroup } from './scorer.js';
import type { Vocabulary } from './vocabulary.js';

const COMPOUND_SEPARATOR = /[-‐‑'’._]/;

/** What a paper matched of a query. */
export interface Match {
  /** The query's terms (its own, and those of synonym phrases) that matched, directly or not. */
  queryTerms: ReadonlySet<string>;
  /** The index terms the paper contains that they matched, e.g. "diffus" for "difus". */
  terms: readonly string[];
}

/**
 * The query's words (or synonym phrases) that a result matched, as the user wrote them;
 * a word matched only through typo tolerance shows as the papers' spelling.
 */
export function matchedWords(plan: QueryPlan, match: Match, vocabulary: Vocabulary): string[] {
  const hitTerms = match.queryTerms;
  const planned = new Set(plan.terms.map(({ term }) => term));
  const words: string[] = [];
  for (const { term, surface } of plan.terms) {
    if (!hitTerms.has(term)) continue;
    if (match.terms.includes(term)) words.push(surface);
    else words.push(...match.terms.filter((derived) => !planned.has(derived)).map((derived) => vocabulary.surface(derived)));
  }
  for (const expansion of plan.expansions) {
    if (expansionMatched(expansion, planned, hitTerms)) words.push(expansion.label);
  }
  return readable(words);
}

/** Words without repeats, and without the parts of a compound that matched whole. */
function readable(words: string[]): string[] {
  const lower = [...new Set(words.map((word) => word.toLowerCase()))];
  const parts = new Set(lower.flatMap((word) => word.split(COMPOUND_SEPARATOR).filter((part) => part !== word)));
  const seen = new Set<string>();
  return words.filter((word) => {
    const key = word.toLowerCase();
    return !parts.has(key) && !seen.has(key) && seen.add(key);
  });
}

/** What the document matched of the query: each word reached, and the index terms that reached it. */
export function matchOf(query: ScoringQuery, postings: Postings, doc: number): Match {
  const queryTerms = new Set<string>();
  const terms = new Set<string>();
  const reach = (group: TermGroup) => group.derived.filter(({ id }) => postings.contains(id, doc));
  for (const group of query.own) {
    const found = reach(group);
    if (found.length > 0) queryTerms.add(group.source);
    for (const { term } of found) terms.add(term);
  }
  for (const { groups } of query.expansions) {
    const found = groups.map(reach);
    if (found.some((derived) => derived.length === 0)) continue;
    for (const group of groups) queryTerms.add(group.source);
    for (const { term } of found.flat()) terms.add(term);
  }
  return { queryTerms, terms: [...terms] };
}
