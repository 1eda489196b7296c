/**
 * Retrieval quality: nDCG@10 and recall@100 on BEIR SciFact (300 test claims), on Cranfield
 * (225 natural-language questions; skipped when absent) and on the judged seed queries, for
 * two baselines (MiniSearch alone; a Lucene-style BM25), the default index and one change at a time.
 * Usage: node dist/bench/quality.js [--dir path/to/scifact] [--cranfield path/to/cranfield] [--only default]
 */
import MiniSearch from 'minisearch';
import { stemmer } from 'stemmer';
import { loadCorpus } from '../src/papers/corpus.js';
import type { Paper } from '../src/papers/paper.js';
import { DEFAULT_CORPUS } from '../src/paths.js';
import { buildIndex, RELEVANCE_FLOOR, wellMatched, type IndexOptions } from '../src/search/index.js';
import { EXTENDED_STOP_WORDS } from '../src/search/stop-words.js';
import type { PaperIndex, SearchHit } from '../src/search/types.js';
import { lucenelikeBm25, searchOnly } from './lib/bm25-baseline.js';
import { CRANFIELD_DIR, hasCranfield, loadCranfield } from './lib/cranfield.js';
import { evaluate, loadSeedQueries, type Effectiveness, type JudgedQuery } from './lib/evaluate.js';
import { flag, loadScifact, SCIFACT_DIR } from './lib/scifact.js';

const VARIANTS: [string, IndexOptions][] = [
  ['default', {}],
  ['no synonyms (hand table)', { synonyms: false }],
  ['corpus acronyms ignored (no contradiction check)', { corpusAcronyms: 'off' }],
  ['corpus acronyms also expanded (short -> long)', { corpusAcronyms: 'expand' }],
  ['fuzzy off', { fuzzy: 'off' }],
  ['fuzzy always (len >= 4)', { fuzzy: 'always' }],
  ['no stop words', { stopWords: null }],
  ['extended stop words (136)', { stopWords: EXTENDED_STOP_WORDS }],
  ['no folding (α stays α, ï stays ï)', { fold: false }],
  ['compounds: parts only', { compounds: 'split' }],
  ['compounds: joined only', { compounds: 'join' }],
  ['prefix search on', { prefix: true }],
  ['coordination (x parts matched, MiniSearch)', { coordination: true }],
  ['BM25+ d=0.5 (MiniSearch default)', { bm25: { k: 1.2, b: 0.7, d: 0.5 } }],
  ['BM25 k0.9 b0.4 (Anserini)', { bm25: { k: 0.9, b: 0.4, d: 0 } }],
  ['title boost 2', { boost: { title: 2 } }],
  ['title boost 0.7', { boost: { title: 0.7 } }],
  ['per-field BM25 (MiniSearch) instead of BM25F', { fieldScoring: 'per-field' }],
  ['Lucene field lengths instead of BM25F', { fieldScoring: 'lucene' }],
  ['per-field BM25 with coordination (before)', { fieldScoring: 'per-field', coordination: true }],
  ['repeated query words counted each time', { countRepeats: true }],
  ["contractions split (don't -> don, t, dont)", { contractions: false }],
  ['one-letter lowercase query words dropped', { dropLetters: true }],
  ['typos: every close word searched (before)', { typoCorrection: 'all-close' }],
];

interface Collection {
  name: string;
  papers: Paper[];
  queries: JudgedQuery[];
  /** Whether the popularity prior applies (the seed papers have upvotes; the others none). */
  prior: boolean;
}

interface Row {
  name: string;
  results: Effectiveness[];
}

function main(): void {
  const dir = flag('dir') ?? SCIFACT_DIR;
  const cranfieldDir = flag('cranfield') ?? CRANFIELD_DIR;
  const scifact = loadScifact(dir);
  const collections: Collection[] = [{ name: 'SciFact', ...scifact, prior: false }];
  console.log(`SciFact: ${scifact.papers.length} abstracts, ${scifact.queries.length} queries (${dir})`);
  if (hasCranfield(cranfieldDir)) {
    const cranfield = loadCranfield(cranfieldDir);
    collections.push({ name: 'Cranfield', ...cranfield, prior: false });
    console.log(`Cranfield: ${cranfield.papers.length} abstracts, ${cranfield.queries.length} questions (${cranfieldDir})`);
  } else {
    console.log(`Cranfield: skipped, not found at ${cranfieldDir} (pass --cranfield DIR; see bench/RESULTS.md)`);
  }
  const seed = { name: 'seed', papers: loadCorpus(DEFAULT_CORPUS).papers, queries: loadSeedQueries(), prior: true };
  collections.push(seed);
  console.log(`Seed: ${seed.papers.length} papers, ${seed.queries.length} judged queries\n`);

  const measure = (make: (papers: Paper[]) => PaperIndex) =>
    collections.map(({ papers, queries, prior }) => evaluate(make(papers), queries, prior));
  const rows: Row[] = [
    { name: 'plain MiniSearch + Porter (anchor)', results: measure(plainMiniSearch) },
    { name: 'BM25 k0.9 b0.4, Porter, Lucene stop words', results: measure((papers) => lucenelikeBm25(papers)) },
  ];
  const only = flag('only')?.split(',');
  const chosen = VARIANTS.filter(([name]) => name === 'default' || !only || only.some((part) => name.includes(part)));
  for (const [name, options] of chosen) rows.push({ name, results: measure((papers) => buildIndex(papers, options)) });
  printTable(collections.map(({ name }) => name), rows);
  printFloor(collections);
  console.log('\nPublished SciFact nDCG@10 anchors: BM25 0.665 (BEIR), 0.679 (Anserini BM25 flat).');
}

/** MiniSearch with its own tokenizer and defaults, plus Porter stemming: the baseline to beat. */
function plainMiniSearch(papers: Paper[]): PaperIndex {
  const mini = new MiniSearch<Paper>({
    fields: ['title', 'abstract'],
    processTerm: (term) => stemmer(term.toLowerCase()),
  });
  mini.addAll(papers);
  const byId = new Map(papers.map((paper) => [paper.id, paper]));
  const search = (query: string, options: { limit?: number } = {}): SearchHit[] =>
    mini
      .search(query)
      .slice(0, options.limit ?? 10)
      .map((result) => ({ paper: byId.get(result.id as string)!, score: result.score, matched: [], snippet: '' }));
  return searchOnly(papers, search);
}

/**
 * What the relevance floor does to a top 5 (the answer's list): papers kept, and the share of
 * kept papers that are judged relevant against the same share in the unfloored top 5.
 */
function printFloor(collections: Collection[]): void {
  console.log(`\nRelevance floor (${RELEVANCE_FLOOR} of the best score) on the default index's top 5:`);
  for (const { name, papers, queries, prior } of collections) {
    const index = buildIndex(papers);
    let kept = 0, keptRelevant = 0, shown = 0, shownRelevant = 0;
    for (const { query, relevant } of queries) {
      const hits = index.search(query, { limit: 5, prior });
      const well = wellMatched(hits);
      const isRelevant = (hit: SearchHit) => (relevant[hit.paper.id] ?? 0) > 0;
      shown += hits.length;
      shownRelevant += hits.filter(isRelevant).length;
      kept += well.length;
      keptRelevant += well.filter(isRelevant).length;
    }
    console.log(`  ${name}: ${(kept / queries.length).toFixed(2)} of ${(shown / queries.length).toFixed(2)} papers kept per query; relevant among kept ${(keptRelevant / Math.max(1, kept)).toFixed(3)}, among all shown ${(shownRelevant / Math.max(1, shown)).toFixed(3)}; relevant papers dropped ${shownRelevant - keptRelevant} of ${shownRelevant}`);
  }
}

function printTable(names: string[], rows: Row[]): void {
  const base = rows.find((row) => row.name === 'default')!;
  const width = Math.max(...rows.map((row) => row.name.length));
  const num = (value: number) => value.toFixed(4);
  const delta = (value: number, reference: number) => {
    const diff = value - reference;
    return Math.abs(diff) < 0.00005 ? '       ' : `${diff > 0 ? '+' : ''}${diff.toFixed(4)}`.padStart(7);
  };
  console.log(['variant'.padEnd(width), ...names.map((name) => `${name} nDCG@10`.padEnd(16) + ' (vs default) | R@100 ')].join(' | '));
  for (const row of rows) {
    const cells = row.results.map((result, i) => `${num(result.ndcg10)}         ${delta(result.ndcg10, base.results[i]!.ndcg10)}`.padEnd(29) + ` | ${num(result.recall100)}`);
    console.log([row.name.padEnd(width), ...cells].join(' | '));
  }
}

main();
