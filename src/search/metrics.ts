/** Graded relevance of documents for one query (unlisted documents count 0). */
export type Judgments = Readonly<Record<string, number>>;

/**
 * nDCG@k as trec_eval and BEIR compute it: gain = relevance, discount log2(rank + 1),
 * ideal ranking from all judged documents. A query without relevant documents scores 0.
 */
export function ndcgAtK(ranked: readonly string[], judgments: Judgments, k: number): number {
  const dcg = discountedGain(ranked.slice(0, k).map((id) => judgments[id] ?? 0));
  const ideal = discountedGain(
    Object.values(judgments)
      .filter((grade) => grade > 0)
      .sort((a, b) => b - a)
      .slice(0, k),
  );
  return ideal === 0 ? 0 : dcg / ideal;
}

/** Share of the relevant documents (grade > 0) found in the first k. */
export function recallAtK(ranked: readonly string[], judgments: Judgments, k: number): number {
  const relevant = Object.keys(judgments).filter((id) => (judgments[id] ?? 0) > 0);
  if (relevant.length === 0) return 0;
  const top = new Set(ranked.slice(0, k));
  return relevant.filter((id) => top.has(id)).length / relevant.length;
}

export function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((sum, value) => sum + value, 0) / values.length;
}

function discountedGain(grades: readonly number[]): number {
  return grades.reduce((sum, grade, i) => sum + grade / Math.log2(i + 2), 0);
}
