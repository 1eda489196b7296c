import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadCorpus } from '../../src/papers/corpus.js';
import type { Paper } from '../../src/papers/paper.js';
import { projectRoot } from '../../src/paths.js';
import type { JudgedQuery } from './evaluate.js';
import { readQueriesFile } from '../../src/cli/queries-file.js';

export const SCIFACT_DIR = join(projectRoot, '..', 'shared', 'benchmarks', 'scifact');

export interface Benchmark {
  papers: Paper[];
  queries: JudgedQuery[];
}

/** BEIR SciFact test split: corpus.jsonl, queries.test.jsonl and qrels/test.tsv in `dir`. */
export function loadScifact(dir = SCIFACT_DIR): Benchmark {
  const { papers } = loadCorpus(join(dir, 'corpus.jsonl'));
  const qrels = new Map<string, Record<string, number>>();
  for (const line of readFileSync(join(dir, 'qrels', 'test.tsv'), 'utf8').split('\n').slice(1)) {
    const [queryId, docId, grade] = line.trim().split('\t');
    if (!queryId || !docId || !grade) continue;
    const judged = qrels.get(queryId) ?? {};
    judged[docId] = Number(grade);
    qrels.set(queryId, judged);
  }
  const queries = readQueriesFile(join(dir, 'queries.test.jsonl')).map(({ id, text }) => ({ query: text, relevant: qrels.get(id) ?? {} }));
  return { papers, queries };
}

/** The value following `--name` on the command line, if any. */
export function flag(name: string, argv = process.argv.slice(2)): string | undefined {
  const at = argv.indexOf(`--${name}`);
  return at >= 0 ? argv[at + 1] : undefined;
}
