import type { Paper } from '../papers/paper.js';
import { createAnalyzer, type Analyzer } from '../search/analyzer.js';

/** A sparse, L2-normalised tf-idf vector: term → weight. */
export type SparseVector = ReadonlyMap<string, number>;

// Title and keyword words say what a paper is about more surely than abstract words (as in "more like this").
const TITLE_WEIGHT = 2;
const KEYWORD_WEIGHT = 2;

interface Analysed {
  counts: Map<string, number>;
}

/**
 * The papers' text as the recommender sees it: search's analyzer (same stemming, stop words, compounds
 * and folding as the index), tf-idf weighted. Document frequencies grow with every paper it is shown,
 * so idf follows the stream of papers; a paper's terms are analysed once.
 */
export class TextFeatures {
  private readonly analyzer: Analyzer;
  private readonly analysed = new Map<string, Analysed>();
  private readonly docFreq = new Map<string, number>();
  /** Per term, how often each written form was seen: the most common is what people read. */
  private readonly forms = new Map<string, Map<string, number>>();

  private readonly keywordWeight: number;

  /** `keywordWeight`: how much a keyword counts against an abstract word (bench:recommend measures it). */
  constructor(analyzer: Analyzer = createAnalyzer(), keywordWeight = KEYWORD_WEIGHT) {
    this.analyzer = analyzer;
    this.keywordWeight = keywordWeight;
  }

  get documents(): number {
    return this.analysed.size;
  }

  /** Counts the papers into the document frequencies (once each). */
  observe(papers: Iterable<Paper>): void {
    for (const paper of papers) this.analyse(paper);
  }

  /** The paper's tf-idf vector (the paper is observed first if new). */
  vector(paper: Paper): SparseVector {
    return this.weigh(this.analyse(paper).counts);
  }

  /** A short text (a typed query or topic) as a vector over the same terms; not counted as a document. */
  textVector(text: string): SparseVector {
    const counts = new Map<string, number>();
    this.count(text, 1, counts);
    return this.weigh(counts);
  }

  private count(text: string, weight: number, counts: Map<string, number>): void {
    for (const token of this.analyzer.tokens(text)) {
      counts.set(token.term, (counts.get(token.term) ?? 0) + weight);
      this.noteForm(token.term, token.surface);
    }
  }

  /** The term as people write it, e.g. "distillation" for the stem "distil". */
  surface(term: string): string {
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

  private analyse(paper: Paper): Analysed {
    const known = this.analysed.get(paper.id);
    if (known) return known;
    const counts = new Map<string, number>();
    const add = (text: string, weight: number) => this.count(text, weight, counts);
    add(paper.title, TITLE_WEIGHT);
    add(paper.abstract, 1);
    for (const keyword of paper.keywords) add(keyword, this.keywordWeight);
    for (const term of counts.keys()) this.docFreq.set(term, (this.docFreq.get(term) ?? 0) + 1);
    const analysed = { counts };
    this.analysed.set(paper.id, analysed);
    return analysed;
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

  private weigh(counts: ReadonlyMap<string, number>): SparseVector {
    const vector = new Map<string, number>();
    let norm = 0;
    for (const [term, count] of counts) {
      const weight = (1 + Math.log(count)) * this.idf(term);
      vector.set(term, weight);
      norm += weight * weight;
    }
    norm = Math.sqrt(norm) || 1;
    for (const [term, weight] of vector) vector.set(term, weight / norm);
    return vector;
  }
}
