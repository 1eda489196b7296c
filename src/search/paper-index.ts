import { createHash } from 'node:crypto';
import type { Paper } from '../papers/paper.js';
import { createAnalyzer, type Analyzer, type AnalyzerOptions, type CompoundMode, type Token } from './analyzer.js';
import { AcronymTable } from './acronyms.js';
import { createExpander, type Expander } from './expansion.js';
import { docFilter } from './filters.js';
import { matchedWords, matchOf, type Match } from './matched.js';
import { MaxScoreRanker } from './max-score.js';
import { similarPlan } from './more-like.js';
import { Postings, type CompactPostings } from './postings.js';
import { PackedPapers, type FilePage } from './packed-papers.js';
import { MAX_PRIOR_BOOST, Priors, type PriorFacts } from './prior.js';
import { EXPANSION_WEIGHT, planQuery, toScoringQuery, type FuzzyPolicy, type QueryPlan, type TermMatching } from './query.js';
import { bestDocs, bestDocsWithPrior, type Ranked } from './ranking.js';
import { Scorer, type Bm25Params, type FieldScoring, type ScoringQuery } from './scorer.js';
import { stripSlackMarkup } from './slack-markup.js';
import { bestSentence } from './snippet.js';
import { STOP_WORDS } from './stop-words.js';
import { SYNONYMS } from './synonyms.js';
import type { PaperIndex, SearchHit, SearchOptions } from './types.js';
import { Vocabulary } from './vocabulary.js';

export const FIELDS = ['title', 'abstract', 'authors', 'keywords'] as const;
type Field = (typeof FIELDS)[number];

/**
 * When typos are forgiven: `fallback` only for query words no paper contains (correct
 * words keep exact BM25 scores), `always` for every long enough word, or never.
 */
export type FuzzyMode = 'fallback' | 'always' | 'off';

/**
 * What the application may choose: whether the popularity/recency prior applies by default, and
 * the clock. Every analysis and scoring setting is the measured default (VariantOptions).
 */
export type IndexOptions = Pick<VariantOptions, 'prior' | 'now'>;

/**
 * Analyzer and scoring switches, for measuring each part against the default (bench/quality.ts)
 * and for tests that pin a plain computation; reached through variants.ts, never by the
 * application. The defaults are the measured best.
 */
export interface VariantOptions {
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
  /** Read "α" as "alpha" and "naïve" as "naive" (src/search/fold.ts); on by default. */
  fold?: boolean;
  bm25?: Bm25Params;
  /** How the fields' scores combine; see scorer.ts. */
  fieldScoring?: FieldScoring;
  boost?: Partial<Record<Field, number>>;
  /**
   * Multiply scores by the number of parts of the query matched, as MiniSearch does by
   * default (a synonym phrase counting as one part). Off by default: with BM25F it rewards
   * papers that match a question's filler words (measured on SciFact and Cranfield).
   */
  coordination?: boolean;
  /** Also match index terms that start with a query term. */
  prefix?: boolean;
  /**
   * The acronyms the papers define ("long form (SHORT)", acronyms.ts): `contradict` (default)
   * drops a table acronym the corpus defines only otherwise; `expand` also expands the
   * corpus's own acronyms to their long forms (measured: SciFact -0.0055, Cranfield and the
   * seed set unchanged, so not the default); `off` ignores them.
   */
  corpusAcronyms?: 'contradict' | 'expand' | 'off';
  /** For a misspelt word, search only a confident correction (default) or every close word. */
  typoCorrection?: 'confident' | 'all-close';
  /** A word the query repeats weighs once per time (see query.ts); off: it helped Cranfield, not SciFact. */
  countRepeats?: boolean;
  /** See AnalyzerOptions. */
  contractions?: boolean;
  dropLetters?: boolean;
  /**
   * Skip postings that cannot change the top results (max-score.ts; default). Off scores every
   * posting, the reference the pruned ranking is tested and measured against. Pruning applies to
   * the default scoring (BM25F without coordination); other variants always score everything.
   */
  pruning?: boolean;
}

const DEFAULTS = {
  /**
   * Chosen on SciFact's train claims from a grid fixed in advance (bench/lib/train-grid.ts;
   * title 1/1.5/2/3, k1 0.9/1.2/1.5, b 0.6/0.75/0.9), then checked on SciFact test, Cranfield and
   * the seed set, where it helped all three (bench/RESULTS.md). Authors and keywords keep weight 1:
   * no judged collection has them.
   */
  bm25: { k: 1.2, b: 0.6, d: 0 },
  boost: { title: 3, abstract: 1, authors: 1, keywords: 1 },
  fuzzyWeight: 0.6,
  prefixWeight: 0.375,
  suggestLimit: 5,
};

export function buildIndex(papers: Paper[], options: IndexOptions = {}): PaperIndex {
  return buildVariantIndex(papers, options);
}

/** An index with some analysis or scoring switches away from the defaults (see variants.ts). */
export function buildVariantIndex(papers: Paper[], options: VariantOptions = {}): PaperIndex {
  const index = new InvertedPaperIndex(options, freshState());
  index.admit([...new Map(papers.map((paper) => [paper.id, paper])).values()]);
  return index;
}

/** An index's analysed state, compacted: live papers only, numbered from 0 (see serialize.ts). */
export interface IndexSnapshot {
  /** analysisFingerprint of the options the index was built with. */
  fingerprint: string;
  /** Each document's paper id, by document number. */
  ids: string[];
  /** Each document's paper as packed-papers.ts keeps it: its packed length, and the bytes one after another (read once). */
  packed: { lengths: Uint32Array; chunks: Iterable<Uint8Array> };
  priors: PriorFacts;
  postings: Omit<CompactPostings, 'liveDocs'>;
  surfaces: ReadonlyMap<string, string>;
  forms: ReadonlyMap<string, string>;
  /** Acronym definitions found in the papers: [short, long, count]. */
  acronyms: [string, string, number][];
}

/**
 * The index's state as it stands at the first step, compacted a slice at a time (a yield after each),
 * so that saving it need not stop search: the index may take papers between steps.
 */
export function* snapshotIndex(index: PaperIndex): Generator<void, IndexSnapshot> {
  if (!(index instanceof InvertedPaperIndex)) throw new Error('Only an index made by buildIndex or loadIndex can be serialized');
  return yield* index.snapshot();
}

/** A snapshot as loaded (serialize.ts): the packed papers in one page, in memory or left in the file. */
export type RestoredSnapshot = Omit<IndexSnapshot, 'packed' | 'surfaces' | 'forms'> & {
  packed: { lengths: Uint32Array; page: Uint8Array | FilePage };
  surfaces: Map<string, string>;
  forms: Map<string, string>;
};

/** An index over a snapshot's analysed state, without analysing any paper; trusts the snapshot. */
export function restoreIndex(snapshot: RestoredSnapshot, options: VariantOptions = {}): PaperIndex {
  const postings = Postings.fromCompacted(snapshot.postings);
  const acronyms = new AcronymTable();
  for (const [short, long, count] of snapshot.acronyms) acronyms.add(short, long, count);
  const index = new InvertedPaperIndex(options, {
    postings,
    vocabulary: new Vocabulary(postings, snapshot.surfaces, snapshot.forms),
    acronyms,
    papers: PackedPapers.restore(snapshot.packed.lengths, snapshot.packed.page),
    priors: Priors.restore(snapshot.priors),
    ids: snapshot.ids,
  });
  return index;
}

/**
 * A digest of what decides the terms papers are indexed under (fields, stop words,
 * compounds, folding, stemming): an index loads only into the same. Scoring options are not in
 * it; they apply at query time. A change to the analyzer's code needs a format version bump.
 */
export function analysisFingerprint(options: VariantOptions): string {
  const { stopWords, compounds, fold, contractions } = analysisSettings(options);
  const settings = { fields: FIELDS, stem: true, compounds, fold, contractions, stopWords: stopWords ? [...stopWords].sort() : null };
  return createHash('sha256').update(JSON.stringify(settings)).digest('hex').slice(0, 16);
}

function analysisSettings(options: VariantOptions): Required<Omit<AnalyzerOptions, 'stem'>> {
  return {
    stopWords: options.stopWords === undefined ? STOP_WORDS : options.stopWords,
    compounds: options.compounds ?? 'split+join',
    fold: options.fold ?? true,
    contractions: options.contractions ?? true,
    dropLetters: options.dropLetters ?? false,
  };
}

interface IndexState {
  postings: Postings;
  vocabulary: Vocabulary;
  acronyms: AcronymTable;
  papers: PackedPapers;
  priors: Priors;
  /** The paper id of each document already in the postings, by document number. */
  ids: string[];
}

function freshState(): IndexState {
  const postings = new Postings(FIELDS.length);
  return {
    postings,
    vocabulary: new Vocabulary(postings),
    acronyms: new AcronymTable(),
    papers: new PackedPapers(),
    priors: new Priors(),
    ids: [],
  };
}

/**
 * Papers in a compact inverted index (postings.ts), ranked by BM25F without scoring every
 * posting (max-score.ts; the variants score everything, scorer.ts), typo neighbours and close
 * words found by their letter pairs (typo-index.ts). The papers themselves are kept packed
 * (packed-papers.ts) and inflated for the hits returned.
 */
class InvertedPaperIndex implements PaperIndex {
  /** Live papers' documents by paper id. */
  private readonly docOf = new Map<string, number>();
  /** Each document's paper id (removed documents keep theirs). */
  private readonly ids: string[];
  private readonly papers: PackedPapers;
  private readonly postings: Postings;
  private readonly vocabulary: Vocabulary;
  /** Acronyms the papers define, "long form (SHORT)" (acronyms.ts). */
  private readonly acronyms: AcronymTable;
  private readonly scorer: Scorer;
  /** Set when the scoring allows pruning (see VariantOptions.pruning). */
  private readonly ranker: MaxScoreRanker | undefined;
  private readonly priors: Priors;
  private readonly analyzer: Analyzer;
  private readonly expand: Expander | undefined;
  private readonly matching: TermMatching;
  private readonly prior: boolean;
  private readonly coordination: boolean;
  private readonly countRepeats: boolean;
  private readonly now: () => Date;
  private readonly fingerprint: string;

  /** An index over `state`, which may already hold documents (restoreIndex). */
  constructor(options: VariantOptions, state: IndexState) {
    this.postings = state.postings;
    this.papers = state.papers;
    this.priors = state.priors;
    this.ids = state.ids;
    state.ids.forEach((id, doc) => this.docOf.set(id, doc));
    this.vocabulary = state.vocabulary;
    this.analyzer = createAnalyzer(analysisSettings(options));
    this.fingerprint = analysisFingerprint(options);
    const synonyms = options.synonyms ?? SYNONYMS;
    this.acronyms = state.acronyms;
    const corpusAcronyms = options.corpusAcronyms ?? 'contradict';
    const corpus = {
      writesAcronym: (label: string) => this.vocabulary.writesAcronym(label),
      ...(corpusAcronyms === 'off' ? {} : { acronyms: this.acronyms, expandDefined: corpusAcronyms === 'expand' }),
    };
    this.expand = synonyms ? createExpander(synonyms, this.analyzer, corpus) : undefined;
    this.matching = {
      fuzzy: fuzzyPolicy(options.fuzzy ?? 'fallback', this.vocabulary),
      prefix: options.prefix ?? false,
      fuzzyWeight: DEFAULTS.fuzzyWeight,
      prefixWeight: DEFAULTS.prefixWeight,
      confidentOnly: options.typoCorrection !== 'all-close',
    };
    this.prior = options.prior ?? true;
    this.coordination = options.coordination ?? false;
    this.countRepeats = options.countRepeats ?? false;
    this.now = options.now ?? (() => new Date());
    const boost = { ...DEFAULTS.boost, ...options.boost };
    const fieldBoosts = FIELDS.map((field) => boost[field]);
    const bm25 = options.bm25 ?? DEFAULTS.bm25;
    const fieldScoring = options.fieldScoring ?? 'bm25f';
    this.scorer = new Scorer(this.postings, fieldBoosts, bm25, fieldScoring);
    const prunable = fieldScoring === 'bm25f' && !this.coordination;
    this.ranker = (options.pruning ?? true) && prunable ? new MaxScoreRanker(this.postings, fieldBoosts, bm25) : undefined;
  }

  get size(): number {
    return this.docOf.size;
  }

  get(id: string): Paper | undefined {
    const doc = this.docOf.get(id);
    return doc === undefined ? undefined : this.papers.get(doc);
  }

  *all(): Generator<Paper> {
    for (const doc of this.docOf.values()) yield this.papers.get(doc)!;
  }

  accepts(options: SearchOptions): (id: string) => boolean {
    const keep = this.keeps(options);
    return (id) => {
      const doc = this.docOf.get(id);
      return doc !== undefined && keep(doc);
    };
  }

  search(query: string, options: SearchOptions = {}): SearchHit[] {
    query = stripSlackMarkup(query);
    return this.run(planQuery(query, this.analyzer, this.expand, this.countRepeats), this.matching, options, this.coordination);
  }

  moreLike(id: string, options: SearchOptions = {}): SearchHit[] {
    const paper = this.get(id);
    if (!paper) return [];
    const exclude = [...(options.exclude ?? []), id];
    // Plain BM25 sum: rewarding papers that share many of the seed terms favoured papers
    // sharing generic words (measured on the seed judgments, see more-like.ts).
    const exact = { ...this.matching, fuzzy: () => 0 };
    return this.run(similarPlan(this.analyze(paper), this.vocabulary), exact, { ...options, exclude }, false);
  }

  /** Words of the papers spelt like the query's unknown words, closest and most frequent first. */
  suggest(query: string, limit = DEFAULTS.suggestLimit): string[] {
    query = stripSlackMarkup(query);
    const candidates = new Map<string, { distance: number; docFreq: number }>();
    for (const { term, surface } of this.analyzer.tokens(query)) {
      if (this.vocabulary.has(term)) continue;
      const word = surface.toLowerCase();
      for (const close of this.vocabulary.closeWords(word, word.length < 8 ? 1 : 2)) {
        const known = candidates.get(close.word);
        if (!known || close.distance < known.distance)
          candidates.set(close.word, { distance: close.distance, docFreq: this.vocabulary.docFreq(close.term) });
      }
    }
    const ranked = [...candidates].sort(([, a], [, b]) => a.distance - b.distance || b.docFreq - a.docFreq);
    return ranked.slice(0, limit).map(([word]) => word);
  }

  upsert(papers: Paper[]): void {
    const latest = [...new Map(papers.map((paper) => [paper.id, paper])).values()];
    for (const paper of latest) {
      const doc = this.docOf.get(paper.id);
      if (doc === undefined) continue;
      this.postings.remove(doc, fieldTerms(this.analyze(this.papers.get(doc)!)));
      this.papers.delete(doc);
    }
    this.admit(latest);
  }

  remove(ids: Iterable<string>): void {
    for (const id of ids) {
      const doc = this.docOf.get(id);
      if (doc === undefined) continue;
      this.postings.remove(doc, fieldTerms(this.analyze(this.papers.get(doc)!)));
      this.papers.delete(doc);
      this.docOf.delete(id);
    }
  }

  *snapshot(): Generator<void, IndexSnapshot> {
    // What later papers change is taken now. A document's id and prior facts never change once
    // placed (a replaced paper gets a new document), so those are read at the end.
    const postings = this.postings.frozen();
    const papers = this.papers.frozen();
    const surfaces = new Map(this.vocabulary.surfaceMap);
    const forms = new Map(this.vocabulary.formMap);
    const acronyms = this.acronyms.entries();
    yield;
    const { liveDocs, ...compact } = yield* postings.compact();
    const ids = Array.from(liveDocs, (doc) => this.ids[doc]!);
    yield;
    const lengths = papers.lengths(liveDocs);
    yield;
    const priors = this.priors.compacted(liveDocs);
    yield;
    return {
      fingerprint: this.fingerprint,
      ids,
      packed: { lengths, chunks: papers.chunks(liveDocs) },
      priors,
      postings: compact,
      surfaces,
      forms,
      acronyms,
    };
  }

  /** Indexes papers not indexed yet (or no longer), as one batch. */
  admit(papers: Paper[]): void {
    const docs = this.postings.add(this.analyzedFields(papers));
    papers.forEach((paper, i) => this.place(paper, docs[i]!));
  }

  private place(paper: Paper, doc: number): void {
    this.docOf.set(paper.id, doc);
    this.ids[doc] = paper.id;
    this.papers.set(doc, paper);
    this.priors.set(doc, paper);
  }

  /** Each paper's terms per field, analyzed one at a time as the postings take them. */
  private *analyzedFields(papers: Paper[]): Generator<string[][]> {
    for (const paper of papers) {
      const fields = this.analyze(paper);
      this.vocabulary.add(allTokens(fields));
      this.acronyms.addText(`${paper.title}. ${paper.abstract}`);
      yield fieldTerms(fields);
    }
  }

  private analyze(paper: Paper): Record<Field, Token[]> {
    return {
      title: this.analyzer.tokens(paper.title),
      abstract: this.analyzer.tokens(paper.abstract),
      authors: this.analyzer.tokens(paper.authors.join(' ')),
      keywords: this.analyzer.tokens(paper.keywords.join(' ')),
    };
  }

  /** The options' filters over documents, read from the per-document facts (no paper inflated). */
  private keeps(options: SearchOptions): (doc: number) => boolean {
    return docFilter(options, {
      dateMs: (doc) => this.priors.dateMs(doc),
      upvotes: (doc) => this.priors.upvotes(doc),
      docOf: (id) => this.docOf.get(id),
    });
  }

  private run(plan: QueryPlan, matching: TermMatching, options: SearchOptions, coordination: boolean): SearchHit[] {
    const limit = options.limit ?? 10;
    if (limit <= 0 || (plan.terms.length === 0 && plan.expansions.length === 0)) return [];
    const keep = this.keeps(options);
    const query = toScoringQuery(plan, matching, this.postings, coordination);
    const withPrior = options.prior ?? this.prior;
    const ranked = this.ranker ? this.pruned(query, limit, keep, withPrior) : this.exhaustive(query, limit, keep, withPrior);
    return ranked.map(({ doc, score }) => {
      const paper = this.papers.get(doc)!;
      // What matched and the snippet cost more than ranking (about 0.17 ms a hit): worked
      // out only for the hits a caller reads, the first time it reads them.
      const match = once(() => matchOf(query, this.postings, doc));
      return lazyHit(
        paper,
        score,
        () => matchedWords(plan, match(), this.vocabulary),
        () => bestSentence(paper.abstract, this.snippetWeights(plan, match()), this.analyzer),
      );
    });
  }

  private pruned(query: ScoringQuery, limit: number, keep: (doc: number) => boolean, withPrior: boolean): Ranked[] {
    const now = this.now().getTime();
    const prior = withPrior ? (doc: number) => this.priors.boost(doc, now) : () => 1;
    return this.ranker!.top(query, { limit, keep, prior, maxPrior: withPrior ? MAX_PRIOR_BOOST : 1 });
  }

  /** Every posting scored, then ranked (the variants, and the reference for pruning). */
  private exhaustive(query: ScoringQuery, limit: number, keep: (doc: number) => boolean, withPrior: boolean): Ranked[] {
    const { docs, relevance } = this.scorer.score(query);
    if (!withPrior) return bestDocs(docs, limit, relevance, keep);
    const now = this.now().getTime();
    return bestDocsWithPrior(docs, limit, relevance, keep, (doc) => this.priors.boost(doc, now));
  }

  /** Weights for picking the snippet: rare matched terms count most, synonyms less. */
  private snippetWeights(plan: QueryPlan, match: Match): Map<string, number> {
    const own = new Set(plan.terms.map(({ term }) => term));
    return new Map(match.terms.map((term) => [term, this.vocabulary.idf(term) * (own.has(term) ? 1 : EXPANSION_WEIGHT)]));
  }
}

function fieldTerms(fields: Record<Field, Token[]>): string[][] {
  return FIELDS.map((field) => fields[field].map((token) => token.term));
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

function once<T>(compute: () => T): () => T {
  let value: { v: T } | undefined;
  return () => {
    value ??= { v: compute() };
    return value.v;
  };
}

/** A hit whose `matched` and `snippet` are computed on first read (enumerable, so JSON and spreads see them). */
function lazyHit(paper: Paper, score: number, matched: () => string[], snippet: () => string): SearchHit {
  const hit = { paper, score } as SearchHit;
  const words = once(matched);
  const sentence = once(snippet);
  Object.defineProperty(hit, 'matched', { get: words, enumerable: true });
  Object.defineProperty(hit, 'snippet', { get: sentence, enumerable: true });
  return hit;
}
