import type { Paper } from '../../src/papers/paper.js';
import { buildIndex } from '../../src/search/index.js';
import { serializeIndex } from '../../src/search/serialize.js';
import { loadVariantIndex, type VariantOptions } from '../../src/search/variants.js';
import { evaluate, type Effectiveness, type JudgedQuery } from './evaluate.js';

/**
 * The grid searched on SciFact's train claims, fixed before looking at any result: the title's
 * weight against the abstract's (1), and BM25's k1 and b around the literature defaults
 * (1.2, 0.75). Authors and keywords are not in it: SciFact's abstracts have neither, so train
 * claims say nothing about them.
 */
export const TITLE_BOOSTS = [1, 1.5, 2, 3];
export const K1_VALUES = [0.9, 1.2, 1.5];
export const B_VALUES = [0.6, 0.75, 0.9];

export interface GridPoint {
  title: number;
  k: number;
  b: number;
  train: Effectiveness;
}

/** The index options a grid point stands for (the default's other settings unchanged). */
export function gridOptions({ title, k, b }: Pick<GridPoint, 'title' | 'k' | 'b'>): VariantOptions {
  return { boost: { title }, bm25: { k, b, d: 0 } };
}

/**
 * Every grid point's nDCG@10 and recall@100 on the train claims, best first (nDCG@10, then the
 * smaller change from the defaults). The corpus is analysed once: weights apply at query time.
 */
export function searchGrid(papers: Paper[], train: readonly JudgedQuery[]): GridPoint[] {
  const bytes = serializeIndex(buildIndex(papers));
  const points: GridPoint[] = [];
  for (const title of TITLE_BOOSTS) {
    for (const k of K1_VALUES) {
      for (const b of B_VALUES) {
        const index = loadVariantIndex(bytes, gridOptions({ title, k, b }));
        points.push({ title, k, b, train: evaluate(index, train, false) });
      }
    }
  }
  const distance = (point: GridPoint) => Math.abs(point.title - 1) + Math.abs(point.k - 1.2) + Math.abs(point.b - 0.75);
  return points.sort((x, y) => y.train.ndcg10 - x.train.ndcg10 || distance(x) - distance(y));
}
