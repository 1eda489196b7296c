import type { Synthesis, SynthesisStream } from './types.js';

/**
 * A SynthesisStream over an answer being produced: every delta is kept, so each iterator replays
 * from the start and a caller may await only `final` without ever iterating.
 */
export class BufferedSynthesisStream implements SynthesisStream {
  readonly final: Promise<Synthesis>;
  private readonly deltas: string[] = [];
  private finished = false;
  private wake: Array<() => void> = [];

  /** `produce` must resolve (never reject): failures are turned into fallbacks before they get here. */
  constructor(produce: (emit: (delta: string) => void) => Promise<Synthesis>) {
    this.final = produce((delta) => this.push(delta)).finally(() => {
      this.finished = true;
      this.notify();
    });
  }

  async *[Symbol.asyncIterator](): AsyncIterator<string> {
    for (let next = 0; ; ) {
      if (next < this.deltas.length) yield this.deltas[next++]!;
      else if (this.finished) return;
      else await new Promise<void>((resolve) => this.wake.push(resolve));
    }
  }

  private push(delta: string): void {
    if (this.finished || delta === '') return;
    this.deltas.push(delta);
    this.notify();
  }

  private notify(): void {
    const waiting = this.wake;
    this.wake = [];
    waiting.forEach((resolve) => resolve());
  }
}
