/** A growable list of whole numbers (document or term numbers) that keeps its storage between uses. */
export class IntList {
  private items: Int32Array;
  private length = 0;

  constructor(capacity = 1024) {
    this.items = new Int32Array(capacity);
  }

  clear(): void {
    this.length = 0;
  }

  push(value: number): void {
    if (this.length === this.items.length) {
      const bigger = new Int32Array(this.items.length * 2);
      bigger.set(this.items);
      this.items = bigger;
    }
    this.items[this.length++] = value;
  }

  /** The numbers pushed since the last clear, valid until the next push. */
  view(): Int32Array {
    return this.items.subarray(0, this.length);
  }
}

/** The first index in [start, end) of the ascending array whose value is at least `value` (end if none). */
export function lowerBound(sorted: Int32Array, start: number, end: number, value: number): number {
  let low = start;
  let high = end;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (sorted[mid]! < value) low = mid + 1;
    else high = mid;
  }
  return low;
}
