import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../src/paths.js';
import { mean, ndcgAtK, recallAtK, type Judgments } from '../../src/search/metrics.js';
import type { PaperIndex } from '../../src/search/types.js';

export interface JudgedQuery {
  query: string;
  relevant: Judgments;
}

export interface Effectiveness {
  ndcg10: number;
  recall100: number;
}

export const SEED_QUERIES_FILE = join(projectRoot, 'test', 'fixtures', 'seed-queries.json');

export function loadSeedQueries(file = SEED_QUERIES_FILE): JudgedQuery[] {
  return (JSON.parse(readFileSync(file, 'utf8')) as { queries: JudgedQuery[] }).queries;
}

/** Mean nDCG@10 and recall@100 of the index's rankings (top 100) over judged queries. */
export function evaluate(index: PaperIndex, queries: readonly JudgedQuery[], prior?: boolean): Effectiveness {
  const rankings = queries.map(({ query }) => index.search(query, { limit: 100, prior }).map((hit) => hit.paper.id));
  return {
    ndcg10: mean(queries.map(({ relevant }, i) => ndcgAtK(rankings[i]!, relevant, 10))),
    recall100: mean(queries.map(({ relevant }, i) => recallAtK(rankings[i]!, relevant, 100))),
  };
}
