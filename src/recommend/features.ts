import type { Paper } from '../papers/paper.js';
import { createAnalyzer, type Analyzer } from '../search/analyzer.js';

/** A sparse, L2-normalised tf-idf vector: term (or "term term" phrase) → weight. */
export type SparseVector = ReadonlyMap<string, number>;

// Title and keyword words say what a paper is about more surely than abstract words (as in "more like this").
const TITLE_WEIGHT = 2;
const KEYWORD_WEIGHT = 2;
/**
 * A phrase seen in one paper only says nothing about any other paper: it is left out of vectors until a
 * second paper has it (as scikit-learn's min_df, which arxiv-sanity sets higher on a far larger corpus).
 */
const PHRASE_MIN_PAPERS = 2;
/** Single terms never contain a space (the analyzer splits on it), so a space marks a two-word phrase. */
const PHRASE_JOINER = ' ';

export interface TextFeaturesOptions {
  analyzer?: Analyzer;
  /** How much a keyword counts against an abstract word (bench:recommend:levers measures it). */
  keywordWeight?: number;
  /** Two-word phrases beside single words, as arxiv-sanity's 1–2-grams; on by default (bench:recommend:levers measures both). */
  phrases?: boolean;
}

/** What a text says, counted: single terms and two-word phrases, each with its weighted count. */
interface Counts {
  terms: Map<string, number>;
  phrases: Map<string, number>;
}

/**
 * The papers' text as the recommender sees it: search's analyzer (same stemming, stop words, compounds
 * and folding as the index), tf-idf weighted, single words and two-word phrases. A research area is
 * usually a phrase ("knowledge distillation", "kv cache") whose words alone are everywhere ("knowledge",
 * "cache"). Document frequencies grow with every paper it is shown, so idf follows the stream of
 * papers; a paper's text is analysed once.
 */
export class TextFeatures {
  private readonly analyzer: Analyzer;
  private readonly analysed = new Map<string, Counts>();
  /** Vectors weighed since the last new paper changed the document frequencies (every channel ranks the same papers). */
  private readonly weighed = new Map<string, SparseVector>();
  private readonly docFreq = new Map<string, number>();
  /** Per term, how often each written form was seen: the most common is what people read. */
  private readonly forms = new Map<string, Map<string, number>>();
  private readonly keywordWeight: number;
  private readonly phrases: boolean;

  constructor(options: TextFeaturesOptions = {}) {
    this.analyzer = options.analyzer ?? createAnalyzer();
    this.keywordWeight = options.keywordWeight ?? KEYWORD_WEIGHT;
    this.phrases = options.phrases ?? true;
  }

  get documents(): number {
    return this.analysed.size;
  }

  /** Counts the papers into the document frequencies (once each). */
  observe(papers: Iterable<Paper>): void {
    for (const paper of papers) this.analyse(paper);
  }

  /** Whether the paper was analysed: then vectorOf needs only its id (no need to fetch the paper again). */
  has(paperId: string): boolean {
    return this.analysed.has(paperId);
  }

  /** The paper's tf-idf vector (the paper is observed first if new). */
  vector(paper: Paper): SparseVector {
    this.analyse(paper);
    return this.vectorOf(paper.id)!;
  }

  /** An analysed paper's tf-idf vector; undefined for a paper never observed. */
  vectorOf(paperId: string): SparseVector | undefined {
    let vector = this.weighed.get(paperId);
    if (!vector) {
      const counts = this.analysed.get(paperId);
      if (!counts) return undefined;
      vector = this.weigh(counts);
      this.weighed.set(paperId, vector);
    }
    return vector;
  }

  /** A short text (a typed query or topic) as a vector over the same terms; not counted as a document. */
  textVector(text: string): SparseVector {
    const counts = emptyCounts();
    this.count(text, 1, counts);
    return this.weigh(counts);
  }

  /** The term as people write it, e.g. "distillation" for the stem "distil", "knowledge distillation" for a phrase. */
  surface(term: string): string {
    if (term.includes(PHRASE_JOINER))
      return term
        .split(PHRASE_JOINER)
        .map((part) => this.surface(part))
        .join(' ');
    const forms = this.forms.get(term);
    if (!forms) return term;
    let best = term;
    let count = 0;
    for (const [form, seen] of forms) if (seen > count || (seen === count && form < best)) [best, count] = [form, seen];
    return best;
  }

  idf(term: string): number {
    return Math.log((1 + this.analysed.size) / (1 + (this.docFreq.get(term) ?? 0))) + 1;
  }

  private analyse(paper: Paper): Counts {
    const known = this.analysed.get(paper.id);
    if (known) return known;
    const counts = emptyCounts();
    this.count(paper.title, TITLE_WEIGHT, counts);
    this.count(paper.abstract, 1, counts);
    for (const keyword of paper.keywords) this.count(keyword, this.keywordWeight, counts);
    for (const term of [...counts.terms.keys(), ...counts.phrases.keys()]) this.docFreq.set(term, (this.docFreq.get(term) ?? 0) + 1);
    this.analysed.set(paper.id, counts);
    // The idf of every term changed.
    this.weighed.clear();
    return counts;
  }

  private count(text: string, weight: number, counts: Counts): void {
    for (const token of this.analyzer.tokens(text)) {
      add(counts.terms, token.term, weight);
      this.noteForm(token.term, token.surface);
    }
    if (!this.phrases) return;
    // Phrases from the words as written, a compound's parts one by one ("teacher-student" → "teacher student"),
    // so that the glued form split+join adds for search does not pair with its own parts.
    const words = this.analyzer.terms(text, 'split');
    for (let i = 1; i < words.length; i++) add(counts.phrases, words[i - 1]! + PHRASE_JOINER + words[i]!, weight);
  }

  private noteForm(term: string, surface: string): void {
    const form = surface.toLowerCase();
    let forms = this.forms.get(term);
    if (!forms) {
      forms = new Map();
      this.forms.set(term, forms);
    }
    // A handful of forms per term is plenty to pick the usual one; stop counting new ones after that.
    if (forms.has(form) || forms.size < 8) forms.set(form, (forms.get(form) ?? 0) + 1);
  }

  /**
   * Words and phrases are weighed as two unit vectors of equal weight, so that the many phrases (and their
   * higher idf) do not drown the words: the whole vector has unit length.
   */
  private weigh(counts: Counts): SparseVector {
    const terms = this.tfIdf(counts.terms, 0);
    const phrases = this.tfIdf(counts.phrases, PHRASE_MIN_PAPERS);
    const parts = [terms, phrases].filter((part) => part.size);
    const vector = new Map<string, number>();
    for (const part of parts) for (const [term, weight] of part) vector.set(term, weight / Math.sqrt(parts.length));
    return vector;
  }

  /** Sublinear tf × idf, unit length; terms seen in fewer than `minPapers` papers are left out. */
  private tfIdf(counts: ReadonlyMap<string, number>, minPapers: number): Map<string, number> {
    const vector = new Map<string, number>();
    let norm = 0;
    for (const [term, count] of counts) {
      if ((this.docFreq.get(term) ?? 0) < minPapers) continue;
      const weight = (1 + Math.log(count)) * this.idf(term);
      vector.set(term, weight);
      norm += weight * weight;
    }
    norm = Math.sqrt(norm) || 1;
    for (const [term, weight] of vector) vector.set(term, weight / norm);
    return vector;
  }
}

function emptyCounts(): Counts {
  return { terms: new Map(), phrases: new Map() };
}

function add(counts: Map<string, number>, term: string, weight: number): void {
  counts.set(term, (counts.get(term) ?? 0) + weight);
}
