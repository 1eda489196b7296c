import { TypoIndex } from './typo-index.js';
import type { Postings } from './postings.js';

/** A word as written in the papers, close to a word asked about. */
export interface CloseWord {
  word: string;
  term: string;
  distance: number;
}

/**
 * Index terms as moreLike, fuzzy fallback and suggest see them: document frequencies
 * (from the postings), and the words of the papers they came from, for display.
 */
export class Vocabulary {
  /** The forms lowercased, for typo lookups, with each one's term; built on first use after forms change. */
  private formIndex: { typos: TypoIndex; terms: string[] } | undefined;

  /**
   * `surfaces`: each term's display word. `forms`: every word as written (case kept:
   * lowering each token costs more than the map), and its term. Both given when restoring.
   */
  constructor(
    private readonly postings: Postings,
    private readonly surfaces = new Map<string, string>(),
    private readonly forms = new Map<string, string>(),
  ) {}

  /** Each term's display word (lowercase). */
  get surfaceMap(): ReadonlyMap<string, string> {
    return this.surfaces;
  }

  /** Each word as written and its term, in the order first met (later forms win a lowercase clash). */
  get formMap(): ReadonlyMap<string, string> {
    return this.forms;
  }

  get documentCount(): number {
    return this.postings.documentCount;
  }

  /** Records how the terms of a paper being indexed were written. */
  add(tokens: Iterable<{ term: string; surface: string }>): void {
    for (const { term, surface } of tokens) {
      if (!this.surfaces.has(term)) this.surfaces.set(term, surface.toLowerCase());
      if (!this.forms.has(surface)) {
        this.forms.set(surface, term);
        this.formIndex = undefined;
      }
    }
  }

  /** True when a live paper writes the acronym as the table does or all in capitals (plural too). */
  writesAcronym(label: string): boolean {
    const upper = label.toUpperCase();
    return [label, upper, `${label}s`, `${upper}s`].some((form) => {
      const term = this.forms.get(form);
      return term !== undefined && this.has(term);
    });
  }

  /** True when a live paper has the term. */
  has(term: string): boolean {
    return this.docFreq(term) > 0;
  }

  docFreq(term: string): number {
    const id = this.postings.termId(term);
    return id === undefined ? 0 : this.postings.termDocFreq(id);
  }

  /** Inverse document frequency as BM25 computes it (never negative). */
  idf(term: string): number {
    const df = this.docFreq(term);
    return Math.log(1 + (this.documentCount - df + 0.5) / (df + 0.5));
  }

  /**
   * Words of the papers within `maxDistance` edits of `word` (lowercase), compared as
   * written, not as terms: a typo can break the ending a stemmer needs ("distilaton").
   */
  closeWords(word: string, maxDistance: number): CloseWord[] {
    this.formIndex ??= this.indexForms();
    const close: CloseWord[] = [];
    for (const { term: form, index, distance } of this.formIndex.typos.near(word, maxDistance)) {
      const term = this.formIndex.terms[index]!;
      if (distance > 0 && this.has(term)) close.push({ word: form, term, distance });
    }
    return close;
  }

  private indexForms(): { typos: TypoIndex; terms: string[] } {
    const typos = new TypoIndex();
    const terms: string[] = [];
    const seen = new Set<string>();
    // Later forms win a lowercase clash, as they did in the radix tree this replaced.
    for (const [form, term] of [...this.forms].reverse()) {
      const lower = form.toLowerCase();
      if (seen.has(lower)) continue;
      seen.add(lower);
      typos.add(lower);
      terms.push(term);
    }
    return { typos, terms };
  }

  /** A word from the papers that the term came from, e.g. "distillation" for "distil". */
  surface(term: string): string {
    return this.surfaces.get(term) ?? term;
  }
}
