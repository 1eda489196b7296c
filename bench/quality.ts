/**
 * Retrieval quality: nDCG@10 and recall@100 on BEIR SciFact (300 test claims), on Cranfield
 * (225 natural-language questions; skipped when absent) and on the judged seed queries, for
 * two baselines (MiniSearch alone; a Lucene-style BM25), the default index and one change at a time.
 * With SciFact's train split (`--scifact-train FILE`), first searches a small grid of field
 * weights and BM25 parameters on the train claims only (bench/lib/train-grid.ts) and adds the
 * train-best point as a variant, so its test figures are seen only after it was chosen.
 * Usage: node dist/bench/quality.js [--dir path/to/scifact] [--scifact-train FILE] [--cranfield path/to/cranfield] [--only default]
 */
import MiniSearch from 'minisearch';
import { stemmer } from 'stemmer';
import { loadCorpus } from '../src/papers/corpus.js';
import type { Paper } from '../src/papers/paper.js';
import { DEFAULT_CORPUS } from '../src/paths.js';
import { buildIndex, RELEVANCE_FLOOR, wellMatched } from '../src/search/index.js';
import { buildVariantIndex, type VariantOptions } from '../src/search/variants.js';
import type { PaperIndex, SearchHit } from '../src/search/types.js';
import { lucenelikeBm25, searchOnly } from './lib/bm25-baseline.js';
import { CRANFIELD_DIR, hasCranfield, loadCranfield } from './lib/cranfield.js';
import { evaluate, loadSeedQueries, type Effectiveness, type JudgedQuery } from './lib/evaluate.js';
import { flag, loadScifact, loadScifactTrain, SCIFACT_DIR, SCIFACT_TRAIN_FILE } from './lib/scifact.js';
import { B_VALUES, gridOptions, K1_VALUES, searchGrid, TITLE_BOOSTS } from './lib/train-grid.js';
import { VARIANTS } from './lib/variants.js';

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
  const trainBest = tuneOnTrain(flag('scifact-train') ?? SCIFACT_TRAIN_FILE, dir, scifact.papers);
  if (trainBest) chosen.push(trainBest);
  for (const [name, options] of chosen) rows.push({ name, results: measure((papers) => buildVariantIndex(papers, options)) });
  printTable(
    collections.map(({ name }) => name),
    rows,
  );
  printFloor(collections);
  console.log('\nPublished SciFact nDCG@10 anchors: BM25 0.665 (BEIR), 0.679 (Anserini BM25 flat).');
}

/**
 * The grid on SciFact's train claims (never the test claims): prints every point and returns the
 * best one as a variant, or undefined when the train file is absent.
 */
function tuneOnTrain(file: string, dir: string, papers: Paper[]): [string, VariantOptions] | undefined {
  const train = loadScifactTrain(file, dir);
  if (!train) {
    console.log(`SciFact train: skipped, not found at ${file} (pass --scifact-train FILE; see bench/RESULTS.md)\n`);
    return undefined;
  }
  console.log(
    `SciFact train: ${train.length} claims (${file}); grid title ${TITLE_BOOSTS.join('/')} x k1 ${K1_VALUES.join('/')} x b ${B_VALUES.join('/')}`,
  );
  const points = searchGrid(papers, train);
  console.log('title |  k1  |  b   | train nDCG@10 | train R@100');
  for (const { title, k, b, train: result } of points) {
    console.log(
      `${String(title).padStart(5)} | ${k.toFixed(2)} | ${b.toFixed(2)} | ${result.ndcg10.toFixed(4).padStart(13)} | ${result.recall100.toFixed(4)}`,
    );
  }
  const best = points[0]!;
  console.log(`Train-best: title ${best.title}, k1 ${best.k}, b ${best.b}\n`);
  return [`train-best: title ${best.title}, k1 ${best.k}, b ${best.b}`, gridOptions(best)];
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
    let kept = 0,
      keptRelevant = 0,
      shown = 0,
      shownRelevant = 0;
    for (const { query, relevant } of queries) {
      const hits = index.search(query, { limit: 5, prior });
      const well = wellMatched(hits);
      const isRelevant = (hit: SearchHit) => (relevant[hit.paper.id] ?? 0) > 0;
      shown += hits.length;
      shownRelevant += hits.filter(isRelevant).length;
      kept += well.length;
      keptRelevant += well.filter(isRelevant).length;
    }
    console.log(
      `  ${name}: ${(kept / queries.length).toFixed(2)} of ${(shown / queries.length).toFixed(2)} papers kept per query; relevant among kept ${(keptRelevant / Math.max(1, kept)).toFixed(3)}, among all shown ${(shownRelevant / Math.max(1, shown)).toFixed(3)}; relevant papers dropped ${shownRelevant - keptRelevant} of ${shownRelevant}`,
    );
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
    const cells = row.results.map(
      (result, i) =>
        `${num(result.ndcg10)}         ${delta(result.ndcg10, base.results[i]!.ndcg10)}`.padEnd(29) + ` | ${num(result.recall100)}`,
    );
    console.log([row.name.padEnd(width), ...cells].join(' | '));
  }
}

main();
