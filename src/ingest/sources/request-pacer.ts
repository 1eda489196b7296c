/**
 * At most one request per interval to one server: each request waits until `intervalMs` have passed
 * since the previous exchange ended (its response read, or its failure), so that even a slow response
 * never lets two requests arrive closer than the interval, whatever the network does in between.
 */
export class RequestPacer {
  private lastEnded = Number.NEGATIVE_INFINITY;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly intervalMs: number,
    private readonly sleep: (ms: number) => Promise<void>,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Runs `request` in its turn: after the interval, and never overlapping another paced request. */
  run<T>(request: () => Promise<T>): Promise<T> {
    const turn = this.queue.then(async () => {
      const wait = this.waitMs();
      // One sleep (a stand-in sleep in tests must not spin); 1 ms more because timers may fire a little early.
      if (wait > 0) await this.sleep(wait + 1);
      try {
        return await request();
      } finally {
        this.lastEnded = this.now();
      }
    });
    this.queue = turn.then(
      () => undefined,
      () => undefined,
    );
    return turn;
  }

  private waitMs(): number {
    return Math.ceil(this.lastEnded + this.intervalMs - this.now());
  }
}
