import type { Analyzer } from './analyzer.js';

/** A phrase of a synonym row, as index terms. */
interface Phrase {
  label: string;
  terms: string[];
}

/** Another name for something the query asked about, to search for as well. */
export interface Expansion {
  /** The phrase as the synonym table writes it, e.g. "knowledge distillation". */
  label: string;
  /** All of these must occur in a paper for the expansion to match it. */
  terms: string[];
}

export type Expander = (query: string) => Expansion[];

/**
 * Builds the query-side expander for a synonym table. Phrases are compared with compounds
 * glued ("fine-tuning" = "finetuning"), so a row fires when one of its phrases occurs,
 * word for word, in the query, and contributes the row's other phrases.
 */
export function createExpander(table: readonly (readonly string[])[], analyzer: Analyzer): Expander {
  const rows: Phrase[][] = table.map((row) =>
    row
      .map((label) => ({ label, terms: analyzer.terms(label, 'join') }))
      .filter((phrase) => phrase.terms.length > 0),
  );

  return (query) => {
    const queryTerms = analyzer.terms(query, 'join');
    const expansions: Expansion[] = [];
    const seen = new Set<string>();
    for (const row of rows) {
      const present = row.filter((phrase) => containsRun(queryTerms, phrase.terms));
      if (present.length === 0) continue;
      for (const phrase of row) {
        const key = phrase.terms.join(' ');
        if (present.includes(phrase) || seen.has(key)) continue;
        seen.add(key);
        expansions.push({ label: phrase.label, terms: phrase.terms });
      }
    }
    return expansions;
  };
}

function containsRun(haystack: string[], needle: string[]): boolean {
  outer: for (let start = 0; start + needle.length <= haystack.length; start++) {
    for (let i = 0; i < needle.length; i++) {
      if (haystack[start + i] !== needle[i]) continue outer;
    }
    return true;
  }
  return false;
}
