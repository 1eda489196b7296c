/**
 * The k highest-scoring items, best first; on equal scores the earlier item wins.
 * O(n log k) for a partial ranking of many matches, instead of sorting them all.
 */
export function topK<T>(items: Iterable<T>, k: number, score: (item: T) => number): T[] {
  const best: T[] = [];
  const scores: number[] = [];
  if (k <= 0) return best;
  for (const item of items) {
    const value = score(item);
    if (best.length === k && value <= scores[k - 1]!) continue;
    let low = 0;
    let high = scores.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (scores[mid]! >= value) low = mid + 1;
      else high = mid;
    }
    best.splice(low, 0, item);
    scores.splice(low, 0, value);
    if (best.length > k) {
      best.pop();
      scores.pop();
    }
  }
  return best;
}
