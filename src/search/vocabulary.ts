import SearchableMap from 'minisearch/SearchableMap';

/** A word as written in the papers, close to a word asked about. */
export interface CloseWord {
  word: string;
  term: string;
  distance: number;
}

/**
 * Document frequencies and a readable word for every index term: what moreLike needs to
 * weigh terms, what fuzzy fallback needs to tell unknown words, and what suggest shows.
 */
export class Vocabulary {
  private readonly docFreqs = new Map<string, number>();
  private readonly surfaces = new Map<string, string>();
  /** Every word as written (case kept: lowering each token costs more than the map), and its term. */
  private readonly forms = new Map<string, string>();
  /** The forms lowercased, for typo lookups; built on first use after forms change. */
  private formIndex: SearchableMap<string> | undefined;
  private docs = 0;

  get documentCount(): number {
    return this.docs;
  }

  add(tokens: Iterable<{ term: string; surface: string }>): void {
    this.docs += 1;
    const distinct = new Set<string>();
    for (const { term, surface } of tokens) {
      distinct.add(term);
      if (!this.surfaces.has(term)) this.surfaces.set(term, surface.toLowerCase());
      if (!this.forms.has(surface)) {
        this.forms.set(surface, term);
        this.formIndex = undefined;
      }
    }
    for (const term of distinct) this.docFreqs.set(term, (this.docFreqs.get(term) ?? 0) + 1);
  }

  remove(tokens: Iterable<{ term: string }>): void {
    this.docs -= 1;
    for (const term of new Set(Array.from(tokens, (token) => token.term))) {
      const count = (this.docFreqs.get(term) ?? 0) - 1;
      if (count > 0) this.docFreqs.set(term, count);
      else {
        this.docFreqs.delete(term);
        this.surfaces.delete(term);
      }
    }
  }

  has(term: string): boolean {
    return this.docFreqs.has(term);
  }

  docFreq(term: string): number {
    return this.docFreqs.get(term) ?? 0;
  }

  /** Inverse document frequency as BM25 computes it (never negative). */
  idf(term: string): number {
    const df = this.docFreq(term);
    return Math.log(1 + (this.docs - df + 0.5) / (df + 0.5));
  }

  /**
   * Words of the papers within `maxDistance` edits of `word` (lowercase), compared as
   * written, not as terms: a typo can break the ending a stemmer needs ("distilaton").
   */
  closeWords(word: string, maxDistance: number): CloseWord[] {
    this.formIndex ??= SearchableMap.from<string>(Array.from(this.forms, ([form, term]) => [form.toLowerCase(), term]));
    const close: CloseWord[] = [];
    for (const [form, [term, distance]] of this.formIndex.fuzzyGet(word, maxDistance)) {
      if (distance > 0 && this.has(term)) close.push({ word: form, term, distance });
    }
    return close;
  }

  /** A word from the papers that the term came from, e.g. "distillation" for "distil". */
  surface(term: string): string {
    return this.surfaces.get(term) ?? term;
  }
}
