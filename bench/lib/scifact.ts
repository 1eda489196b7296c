import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadCorpus } from '../../src/papers/corpus.js';
import type { Paper } from '../../src/papers/paper.js';
import { projectRoot } from '../../src/paths.js';
import type { JudgedQuery } from './evaluate.js';
import { readQueriesFile } from '../../src/cli/queries-file.js';

export const SCIFACT_DIR = join(projectRoot, '..', 'shared', 'benchmarks', 'scifact');
/** SciFact's train split (not in ../shared by default; bench/RESULTS.md says where it comes from). */
export const SCIFACT_TRAIN_FILE = join(projectRoot, '..', 'shared', 'benchmarks', 'scifact-train', 'train.tsv');

export interface Benchmark {
  papers: Paper[];
  queries: JudgedQuery[];
}

/** BEIR SciFact test split: corpus.jsonl, queries.test.jsonl and qrels/test.tsv in `dir`. */
export function loadScifact(dir = SCIFACT_DIR): Benchmark {
  const { papers } = loadCorpus(join(dir, 'corpus.jsonl'));
  const qrels = readQrels(join(dir, 'qrels', 'test.tsv'));
  const queries = readQueriesFile(join(dir, 'queries.test.jsonl')).map(({ id, text }) => ({ query: text, relevant: qrels.get(id) ?? {} }));
  return { papers, queries };
}

/**
 * SciFact's 809 train claims, judged as BEIR judges them: a claim's relevant abstracts are its
 * cited documents (`cited_doc_ids`; the evidence documents are a subset). `file` is either BEIR's
 * qrels/train.tsv, the claims' text then read from BEIR's queries.jsonl in `dir` (which holds
 * train and test claims), or SciFact's own claims_train.jsonl ({"id","claim","cited_doc_ids"}).
 * Undefined when the file is absent.
 */
export function loadScifactTrain(file: string, dir = SCIFACT_DIR): JudgedQuery[] | undefined {
  if (!existsSync(file)) return undefined;
  if (file.endsWith('.jsonl')) {
    return readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => line.trim())
      .map((line) => JSON.parse(line) as { claim: string; cited_doc_ids: number[] })
      .map(({ claim, cited_doc_ids }) => ({ query: claim, relevant: Object.fromEntries(cited_doc_ids.map((doc) => [String(doc), 1])) }));
  }
  const qrels = readQrels(file);
  return readQueriesFile(join(dir, 'queries.jsonl'))
    .filter(({ id }) => qrels.has(id))
    .map(({ id, text }) => ({ query: text, relevant: qrels.get(id)! }));
}

/** BEIR qrels: a header line, then query-id, corpus-id, score separated by tabs. */
function readQrels(file: string): Map<string, Record<string, number>> {
  const qrels = new Map<string, Record<string, number>>();
  for (const line of readFileSync(file, 'utf8').split('\n').slice(1)) {
    const [queryId, docId, grade] = line.trim().split('\t');
    if (!queryId || !docId || !grade) continue;
    const judged = qrels.get(queryId) ?? {};
    judged[docId] = Number(grade);
    qrels.set(queryId, judged);
  }
  return qrels;
}

/** The value following `--name` on the command line, if any. */
export function flag(name: string, argv = process.argv.slice(2)): string | undefined {
  const at = argv.indexOf(`--${name}`);
  return at >= 0 ? argv[at + 1] : undefined;
}
