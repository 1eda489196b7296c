import type { Analyzer, Token } from './analyzer.js';
import type { AcronymTable } from './acronyms.js';

/** A phrase of a synonym row, as index terms. */
interface Phrase {
  label: string;
  terms: string[];
  /** An acronym ("KD", "LoRA"): matched in a query with its case when the user typed capitals. */
  acronym: boolean;
  /** False for a mined acronym: the query's "SHORT" adds the long form, not the other way round. */
  target?: boolean;
}

/** Another name for something the query asked about, to search for as well. */
export interface Expansion {
  /** The phrase as the synonym table writes it, e.g. "knowledge distillation". */
  label: string;
  /** All of these must occur in a paper for the expansion to match it. */
  terms: string[];
}

export type Expander = (query: string) => Expansion[];

/** What the corpus says about a phrase, for the expander's guards. */
export interface CorpusEvidence {
  /** True when some paper writes the acronym as an acronym (its case, or all capitals). */
  writesAcronym(label: string): boolean;
  /** Acronyms the papers define, "long form (SHORT)". */
  acronyms?: AcronymTable;
  /** Also expand the acronyms the papers define (not only drop the table's they contradict). */
  expandDefined?: boolean;
}

// Two capitals in one word, as acronyms are written ("KD", "LoRA", "CoT").
const ACRONYM = /^[^\s]*\p{Lu}[^\s]*\p{Lu}[^\s]*$/u;
const CAPITAL = /\p{Lu}/u;

/**
 * Builds the query-side expander for a synonym table (the hand table, a prior for machine
 * learning), checked against the acronyms the corpus defines. Phrases are compared with compounds glued
 * ("fine-tuning" = "finetuning"), so a row fires when one of its phrases occurs, word for
 * word, in the query, and contributes the row's other phrases.
 *
 * Guards keep the general table from misleading a corpus it does not fit:
 * - an acronym typed with capitals must be typed as the table writes it (or all in capitals):
 *   "KD" is knowledge distillation, "Kd" a dissociation constant, "Mu" a Greek letter;
 * - an acronym is searched for only if the papers write it as one: in a corpus where "mu" is
 *   only ever the folded Greek letter, "machine unlearning" does not pull in DNA polymerase μ;
 * - an acronym the corpus defines only otherwise ("FL (fluorescence)") loses the table's
 *   meaning (and, with `expandDefined`, takes the corpus's own, one way: short to long form).
 */
export function createExpander(table: readonly (readonly string[])[], analyzer: Analyzer, corpus?: CorpusEvidence): Expander {
  const phrase = (label: string): Phrase => ({ label, terms: analyzer.terms(label, 'join'), acronym: ACRONYM.test(label) });
  const handRows: Phrase[][] = table.map((row) => row.map(phrase).filter(({ terms }) => terms.length > 0));
  let built: { version: number; byFirst: Map<string, { phrase: Phrase; row: Phrase[] }[]> } | undefined;

  const rowsByFirstTerm = () => {
    const version = corpus?.acronyms?.version ?? 0;
    if (built?.version === version) return built.byFirst;
    const rows = corpus?.acronyms
      ? withCorpusAcronyms(handRows, corpus.acronyms, phrase, analyzer, corpus.expandDefined ?? false)
      : handRows;
    const byFirst = new Map<string, { phrase: Phrase; row: Phrase[] }[]>();
    for (const row of rows) {
      for (const member of row) {
        const first = member.terms[0]!;
        const list = byFirst.get(first) ?? [];
        list.push({ phrase: member, row });
        byFirst.set(first, list);
      }
    }
    built = { version, byFirst };
    return byFirst;
  };

  const usable = (member: Phrase) => !member.acronym || !corpus || corpus.writesAcronym(member.label);

  return (query) => {
    const tokens = analyzer.tokens(query, 'join');
    const byFirst = rowsByFirstTerm();
    const present = new Map<Phrase[], Set<Phrase>>();
    tokens.forEach((token, start) => {
      for (const { phrase: member, row } of byFirst.get(token.term) ?? []) {
        if (!occursAt(tokens, start, member)) continue;
        const found = present.get(row) ?? new Set<Phrase>();
        found.add(member);
        present.set(row, found);
      }
    });
    const expansions: Expansion[] = [];
    const seen = new Set<string>();
    for (const [row, found] of present) {
      for (const member of row) {
        const key = member.terms.join(' ');
        if (found.has(member) || seen.has(key) || member.target === false || !usable(member)) continue;
        seen.add(key);
        expansions.push({ label: member.label, terms: member.terms });
      }
    }
    return expansions;
  };
}

/**
 * The hand rows, less the acronyms the corpus defines only as something else, plus one row
 * per acronym the corpus defines that the hand table lacks (or had to give up).
 */
function withCorpusAcronyms(
  handRows: Phrase[][],
  acronyms: AcronymTable,
  phrase: (label: string) => Phrase,
  analyzer: Analyzer,
  expandDefined: boolean,
): Phrase[][] {
  // Compared as words, so "Chain-of-Thought" agrees with "chain of thought".
  const key = (label: string) => analyzer.terms(label, 'split').join(' ');
  const kept = new Set<string>();
  const rows = handRows.map((row) =>
    row.filter((member) => {
      if (!member.acronym) return true;
      const defined = acronyms.longForms(member.label) ?? acronyms.longForms(member.label.toUpperCase());
      const agrees = !defined || defined.some((long) => row.some((other) => !other.acronym && key(long) === key(other.label)));
      if (agrees) kept.add(member.label.toUpperCase());
      return agrees;
    }),
  );
  if (!expandDefined) return rows;
  for (const { short, long } of acronyms.dominant()) {
    if (kept.has(short.toUpperCase())) continue;
    // One way: a short form is ambiguous as a search term ("CL": continual or curriculum learning).
    const row = [phrase(long), { ...phrase(short), acronym: true, target: false }].filter(({ terms }) => terms.length > 0);
    if (row.length === 2) rows.push(row);
  }
  return rows;
}

function occursAt(tokens: readonly Token[], start: number, phrase: Phrase): boolean {
  const { terms } = phrase;
  if (start + terms.length > tokens.length) return false;
  for (let i = 0; i < terms.length; i++) {
    const token = tokens[start + i]!;
    if (token.term !== terms[i]) return false;
    if (phrase.acronym && !sameAcronym(token.surface, phrase.label)) return false;
  }
  return true;
}

/** Typed in lower case, any case matches; typed with a capital, only the table's case or all capitals (plural "LLMs" allowed). */
function sameAcronym(typed: string, label: string): boolean {
  if (!CAPITAL.test(typed)) return true;
  const singular = /[^sS]s$/.test(typed) ? typed.slice(0, -1) : typed;
  return [typed, singular].some((form) => form === label || form === label.toUpperCase());
}
