import MiniSearch, { type BM25Params, type SearchResult } from 'minisearch';
import type { Paper } from '../papers/paper.js';
import { createAnalyzer, type Analyzer, type CompoundMode, type Token } from './analyzer.js';
import { editDistance } from './edit-distance.js';
import { createExpander, type Expander } from './expansion.js';
import { paperFilter } from './filters.js';
import { similarPlan } from './more-like.js';
import { matchedWords } from './matched.js';
import { EXPANSION_WEIGHT, planQuery, toMiniSearchQuery, type FuzzyPolicy, type QueryPlan } from './query.js';
import { byScore, relevanceOf, withPrior, type Candidate } from './ranking.js';
import { bestSentence } from './snippet.js';
import { topK } from './top-k.js';
import { STOP_WORDS } from './stop-words.js';
import { SYNONYMS } from './synonyms.js';
import type { PaperIndex, SearchHit, SearchOptions } from './types.js';
import { Vocabulary } from './vocabulary.js';

const FIELDS = ['title', 'abstract', 'authors', 'keywords'] as const;
type Field = (typeof FIELDS)[number];
type IndexedDoc = { id: string } & Record<Field, string>;

/**
 * When typos are forgiven: `fallback` only for query words no paper contains (correct
 * words keep exact BM25 scores), `always` for every long enough word, or never.
 */
export type FuzzyMode = 'fallback' | 'always' | 'off';

/** Analyzer and scoring settings. The defaults are the measured best (bench/quality.ts). */
export interface IndexOptions {
  /** Default of SearchOptions.prior. */
  prior?: boolean;
  /** The clock for the recency prior. */
  now?: () => Date;
  /** The synonym table, or false for none. */
  synonyms?: readonly (readonly string[])[] | false;
  fuzzy?: FuzzyMode;
  /** Stop words to drop, or null to keep every word. */
  stopWords?: ReadonlySet<string> | null;
  compounds?: CompoundMode;
  bm25?: BM25Params;
  boost?: Partial<Record<Field, number>>;
  /** Multiply scores by the number of query terms matched, as MiniSearch does by default. */
  coordination?: boolean;
  /** Also match index terms that start with a query term. */
  prefix?: boolean;
}

const DEFAULTS = {
  bm25: { k: 1.2, b: 0.75, d: 0 },
  boost: { title: 1, abstract: 1, authors: 1, keywords: 1 },
  fuzzyWeight: 0.6,
  prefixWeight: 0.375,
  suggestLimit: 5,
};

/** What MiniSearch.loadJSON needs to read back JSON.stringify(index). */
export const MINISEARCH_OPTIONS = { fields: [...FIELDS], tokenize: splitTerms, processTerm: (term: string) => term };

export function buildIndex(papers: Paper[], options: IndexOptions = {}): PaperIndex {
  return new MiniSearchPaperIndex(papers, options);
}

class MiniSearchPaperIndex implements PaperIndex {
  private readonly papers = new Map<string, Paper>();
  private readonly vocabulary = new Vocabulary();
  private readonly analyzer: Analyzer;
  private readonly expand: Expander | undefined;
  private readonly mini: MiniSearch<IndexedDoc>;
  private readonly fuzzy: FuzzyPolicy;
  private readonly prior: boolean;
  private readonly coordination: boolean;
  private readonly now: () => Date;

  constructor(papers: Paper[], options: IndexOptions) {
    this.analyzer = createAnalyzer({ stopWords: options.stopWords === undefined ? STOP_WORDS : options.stopWords, compounds: options.compounds });
    const synonyms = options.synonyms ?? SYNONYMS;
    this.expand = synonyms ? createExpander(synonyms, this.analyzer) : undefined;
    this.fuzzy = fuzzyPolicy(options.fuzzy ?? 'fallback', this.vocabulary);
    this.prior = options.prior ?? true;
    this.coordination = options.coordination ?? true;
    this.now = options.now ?? (() => new Date());
    this.mini = new MiniSearch<IndexedDoc>({
      // Documents and queries reach MiniSearch already analyzed: space-separated terms.
      ...MINISEARCH_OPTIONS,
      storeFields: [],
      searchOptions: {
        combineWith: 'OR',
        boost: { ...DEFAULTS.boost, ...options.boost },
        bm25: options.bm25 ?? DEFAULTS.bm25,
        prefix: options.prefix ?? false,
        weights: { fuzzy: DEFAULTS.fuzzyWeight, prefix: DEFAULTS.prefixWeight },
      },
    });
    const unique = new Map(papers.map((paper) => [paper.id, paper]));
    this.mini.addAll(Array.from(unique.values(), (paper) => this.admit(paper)));
  }

  get size(): number {
    return this.papers.size;
  }

  get(id: string): Paper | undefined {
    return this.papers.get(id);
  }

  search(query: string, options: SearchOptions = {}): SearchHit[] {
    return this.run(planQuery(query, this.analyzer, this.expand), this.fuzzy, options, this.coordination);
  }

  moreLike(id: string, options: SearchOptions = {}): SearchHit[] {
    const paper = this.papers.get(id);
    if (!paper) return [];
    const exclude = [...(options.exclude ?? []), id];
    // Plain BM25 sum: rewarding papers that share many of the seed terms favoured papers
    // sharing generic words (measured on the seed judgments, see more-like.ts).
    return this.run(similarPlan(this.analyze(paper), this.vocabulary), () => 0, { ...options, exclude }, false);
  }

  suggest(query: string, limit = DEFAULTS.suggestLimit): string[] {
    const candidates = new Map<string, { distance: number; docFreq: number }>();
    for (const { term } of this.analyzer.tokens(query)) {
      if (this.vocabulary.has(term)) continue;
      const maxDistance = Math.max(1, typoDistance(term));
      for (const result of this.mini.search(term, { fuzzy: maxDistance, boost: {}, bm25: DEFAULTS.bm25 })) {
        for (const candidate of Object.keys(result.match)) {
          if (candidates.has(candidate)) continue;
          candidates.set(candidate, { distance: editDistance(term, candidate), docFreq: this.vocabulary.docFreq(candidate) });
        }
      }
    }
    const ranked = [...candidates].sort(([, a], [, b]) => a.distance - b.distance || b.docFreq - a.docFreq);
    return [...new Set(ranked.map(([term]) => this.vocabulary.surface(term)))].slice(0, limit);
  }

  /** MiniSearch's own serialization of the term index (papers excluded); see MINISEARCH_OPTIONS. */
  toJSON(): unknown {
    return this.mini.toJSON();
  }

  upsert(papers: Paper[]): void {
    for (const paper of papers) {
      const old = this.papers.get(paper.id);
      if (old) {
        this.mini.discard(old.id);
        this.vocabulary.remove(allTokens(this.analyze(old)));
      }
      this.mini.add(this.admit(paper));
    }
  }

  /** Registers a paper and returns it in the form MiniSearch indexes. */
  private admit(paper: Paper): IndexedDoc {
    const fields = this.analyze(paper);
    this.papers.set(paper.id, paper);
    this.vocabulary.add(allTokens(fields));
    const joined = (field: Field) => fields[field].map((token) => token.term).join(' ');
    return { id: paper.id, title: joined('title'), abstract: joined('abstract'), authors: joined('authors'), keywords: joined('keywords') };
  }

  private analyze(paper: Paper): Record<Field, Token[]> {
    return {
      title: this.analyzer.tokens(paper.title),
      abstract: this.analyzer.tokens(paper.abstract),
      authors: this.analyzer.tokens(paper.authors.join(' ')),
      keywords: this.analyzer.tokens(paper.keywords.join(' ')),
    };
  }

  private run(plan: QueryPlan, fuzzy: FuzzyPolicy, options: SearchOptions, coordination: boolean): SearchHit[] {
    const limit = options.limit ?? 10;
    if (limit <= 0 || (plan.terms.length === 0 && plan.expansions.length === 0)) return [];
    const keep = paperFilter(options);
    const relevance = relevanceOf(plan, coordination);
    const candidates: Candidate[] = [];
    for (const result of this.mini.search(toMiniSearchQuery(plan, fuzzy))) {
      const paper = this.papers.get(result.id as string);
      if (paper && keep(paper)) candidates.push({ paper, result, score: relevance(result) });
    }
    const ranked = options.prior ?? this.prior ? withPrior(candidates, limit, this.now()) : topK(candidates, limit, byScore);
    return ranked.map(({ paper, score, result }) => ({
      paper,
      score,
      matched: matchedWords(plan, result, this.vocabulary),
      snippet: bestSentence(paper.abstract, this.snippetWeights(plan, result), this.analyzer),
    }));
  }

  /** Weights for picking the snippet: rare matched terms count most, synonyms less. */
  private snippetWeights(plan: QueryPlan, result: SearchResult): Map<string, number> {
    const own = new Set(plan.terms.map(({ term }) => term));
    return new Map(
      result.terms.map((term) => [term, this.vocabulary.idf(term) * (own.has(term) ? 1 : EXPANSION_WEIGHT)]),
    );
  }
}

function splitTerms(text: string): string[] {
  return text === '' ? [] : text.split(' ');
}

function allTokens(fields: Record<Field, Token[]>): Token[] {
  return FIELDS.flatMap((field) => fields[field]);
}

/** Edits forgiven in a term: none for short ones, where a typo is as likely another word. */
function typoDistance(term: string): number {
  if (term.length < 4) return 0;
  return term.length < 8 ? 1 : 2;
}

function fuzzyPolicy(mode: FuzzyMode, vocabulary: Vocabulary): FuzzyPolicy {
  switch (mode) {
    case 'always':
      return typoDistance;
    case 'fallback':
      return (term) => (vocabulary.has(term) ? 0 : typoDistance(term));
    case 'off':
      return () => 0;
  }
}
