/**
 * The k highest-scoring items, best first; on equal scores the earlier item wins.
 * O(n log k) for a partial ranking of many matches, instead of sorting them all.
 */
export function topK<T>(items: Iterable<T>, k: number, score: (item: T) => number): T[] {
  const best = new TopK<T>(k);
  for (const item of items) best.offer(item, score(item));
  return best.items();
}

/** Collects the k best items offered, as topK ranks them. */
export class TopK<T> {
  private readonly best: T[] = [];
  private readonly scores: number[] = [];

  constructor(private readonly k: number) {}

  get size(): number {
    return this.best.length;
  }

  /** The score of the k-th best so far; -Infinity until there are k. */
  get threshold(): number {
    return this.best.length < this.k ? -Infinity : this.scores[this.k - 1]!;
  }

  /** Whether an item with this score would be kept, were it offered now. */
  accepts(score: number): boolean {
    return this.k > 0 && score > this.threshold;
  }

  offer(item: T, score: number): void {
    if (!this.accepts(score)) return;
    let low = 0;
    let high = this.scores.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.scores[mid]! >= score) low = mid + 1;
      else high = mid;
    }
    this.best.splice(low, 0, item);
    this.scores.splice(low, 0, score);
    if (this.best.length > this.k) {
      this.best.pop();
      this.scores.pop();
    }
  }

  items(): T[] {
    return [...this.best];
  }

  /** The scores of items(), in the same order. */
  itemScores(): number[] {
    return [...this.scores];
  }
}
