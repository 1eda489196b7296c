import type { SearchResult } from 'minisearch';
import { expansionMatched, type QueryPlan } from './query.js';
import type { Vocabulary } from './vocabulary.js';

const COMPOUND_SEPARATOR = /[-‐‑'’._]/;

/**
 * The query's words (or synonym phrases) that a result matched, as the user wrote them;
 * a word matched only through typo tolerance shows as the papers' spelling.
 */
export function matchedWords(plan: QueryPlan, result: SearchResult, vocabulary: Vocabulary): string[] {
  const hitTerms = new Set(result.queryTerms);
  const planned = new Set(plan.terms.map(({ term }) => term));
  const words: string[] = [];
  for (const { term, surface } of plan.terms) {
    if (!hitTerms.has(term)) continue;
    if (result.match[term]) words.push(surface);
    else words.push(...result.terms.filter((derived) => !planned.has(derived)).map((derived) => vocabulary.surface(derived)));
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
