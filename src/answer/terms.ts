import { createAnalyzer } from '../search/analyzer.js';
import { STOP_WORDS } from '../search/stop-words.js';

/** Besides English stop words, words every abstract uses, which say nothing about a query's match. */
const ABSTRACT_WORDS = ['paper', 'papers', 'work', 'approach', 'method', 'methods', 'using', 'via', 'we', 'our'];

// The search analyzer (tokens, compounds, Porter stems), so that extractive answers weigh words as search does.
const analyzer = createAnalyzer({ stopWords: new Set([...STOP_WORDS, ...ABSTRACT_WORDS]) });

/** The stemmed content words of a text, in order. */
export function terms(text: string): string[] {
  return analyzer.terms(text);
}
