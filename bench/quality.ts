/**
 * Retrieval quality: nDCG@10 and recall@100 on BEIR SciFact (300 test claims, prior off)
 * and on the judged seed queries, for the default index and one change at a time.
 * Usage: node dist/bench/quality.js [--dir path/to/scifact]
 */
import MiniSearch from 'minisearch';
import { stemmer } from 'stemmer';
import { loadCorpus } from '../src/papers/corpus.js';
import type { Paper } from '../src/papers/paper.js';
import { DEFAULT_CORPUS } from '../src/paths.js';
import { buildIndex, type IndexOptions } from '../src/search/index.js';
import { EXTENDED_STOP_WORDS } from '../src/search/stop-words.js';
import type { PaperIndex, SearchHit } from '../src/search/types.js';
import { evaluate, loadSeedQueries, type Effectiveness } from './lib/evaluate.js';
import { flag, loadScifact, SCIFACT_DIR } from './lib/scifact.js';

const VARIANTS: [string, IndexOptions][] = [
  ['default', {}],
  ['no synonyms', { synonyms: false }],
  ['fuzzy off', { fuzzy: 'off' }],
  ['fuzzy always (len >= 4)', { fuzzy: 'always' }],
  ['no stop words', { stopWords: null }],
  ['extended stop words (136)', { stopWords: EXTENDED_STOP_WORDS }],
  ['no folding (α stays α, ï stays ï)', { fold: false }],
  ['compounds: parts only', { compounds: 'split' }],
  ['compounds: joined only', { compounds: 'join' }],
  ['prefix search on', { prefix: true }],
  ['no coordination (plain BM25 sum)', { coordination: false }],
  ['BM25+ d=0.5 (MiniSearch default)', { bm25: { k: 1.2, b: 0.7, d: 0.5 } }],
  ['BM25 k0.9 b0.4 (Anserini)', { bm25: { k: 0.9, b: 0.4, d: 0 } }],
  ['title boost 2', { boost: { title: 2 } }],
  ['title boost 0.7', { boost: { title: 0.7 } }],
  ['BM25F (fields as one weighted document)', { fieldScoring: 'bm25f' }],
  ['Lucene field lengths (all terms, one byte)', { fieldScoring: 'lucene' }],
];

interface Row {
  name: string;
  scifact: Effectiveness;
  seed: Effectiveness;
}

function main(): void {
  const dir = flag('dir') ?? SCIFACT_DIR;
  const scifact = loadScifact(dir);
  const seedPapers = loadCorpus(DEFAULT_CORPUS).papers;
  const seedQueries = loadSeedQueries();
  console.log(`SciFact: ${scifact.papers.length} abstracts, ${scifact.queries.length} queries (${dir})`);
  console.log(`Seed: ${seedPapers.length} papers, ${seedQueries.length} judged queries\n`);

  const rows: Row[] = [
    {
      name: 'plain MiniSearch + Porter (anchor)',
      scifact: evaluate(plainMiniSearch(scifact.papers), scifact.queries, false),
      seed: evaluate(plainMiniSearch(seedPapers), seedQueries),
    },
  ];
  for (const [name, options] of VARIANTS) {
    rows.push({
      name,
      scifact: evaluate(buildIndex(scifact.papers, options), scifact.queries, false),
      seed: evaluate(buildIndex(seedPapers, options), seedQueries),
    });
  }
  printTable(rows);
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
  return {
    size: papers.length,
    search,
    moreLike: () => [],
    suggest: () => [],
    get: (id) => byId.get(id),
    upsert: () => {
      throw new Error('not supported by the baseline');
    },
    remove: () => {
      throw new Error('not supported by the baseline');
    },
  };
}

function printTable(rows: Row[]): void {
  const base = rows[1]!;
  const width = Math.max(...rows.map((row) => row.name.length));
  const num = (value: number) => value.toFixed(4);
  const delta = (value: number, reference: number) => {
    const diff = value - reference;
    return Math.abs(diff) < 0.00005 ? '      ' : `${diff > 0 ? '+' : ''}${diff.toFixed(4)}`.padStart(7);
  };
  console.log(`${'variant'.padEnd(width)} | SciFact nDCG@10  | SciFact R@100 | seed nDCG@10     | seed R@100`);
  console.log(`${'-'.repeat(width)}-|------------------|---------------|------------------|-----------`);
  for (const row of rows) {
    console.log(
      [
        row.name.padEnd(width),
        `${num(row.scifact.ndcg10)} ${delta(row.scifact.ndcg10, base.scifact.ndcg10)}`,
        num(row.scifact.recall100).padEnd(13),
        `${num(row.seed.ndcg10)} ${delta(row.seed.ndcg10, base.seed.ndcg10)}`,
        num(row.seed.recall100),
      ].join(' | '),
    );
  }
}

main();
