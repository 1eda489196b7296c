import type { IngestReport } from '../ingest/ingest.js';
import type { CliIo } from './io.js';

/** What one ingest run waits for a service at most per page: tries of a timeout each, and the pauses between. */
export interface WaitBudget {
  timeoutMs: number;
  attempts: number;
}

/** Hugging Face answers a day's list in well under a second: 3 tries of 10 s. */
export const INGEST_HF: WaitBudget = { timeoutMs: 10_000, attempts: 3 };
/** arXiv sends up to 2,000 records a page and answers slowly when busy (its source's own timeout). */
export const INGEST_ARXIV: WaitBudget = { timeoutMs: 90_000, attempts: 3 };

function givesUpAfterS({ attempts, timeoutMs }: WaitBudget): number {
  return Math.ceil((attempts * timeoutMs + 500 + 1000) / 1000);
}
/** On a terminal the status line ticks every second; elsewhere a wait is said once, past this. */
const SAY_WAIT_AFTER_MS = 5_000;

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * Progress of `paperboy ingest` as it goes: the day, the page, the papers so far, and how long
 * Hugging Face has kept it waiting (with when it gives up), so that a hanging endpoint is seen.
 * A terminal gets one status line that replaces itself; a log gets a line per day and per long wait.
 */
export class IngestProgress {
  private day = 0;
  private pages = 0;
  private papers = 0;
  private since = Date.now();
  private saidWait = false;
  private readonly timer: NodeJS.Timeout;
  private readonly started = Date.now();

  constructor(
    private readonly dates: string[],
    private readonly io: CliIo,
    /** Who is being waited for: "Hugging Face", "arXiv". */
    private readonly service = 'Hugging Face',
    private readonly budget: WaitBudget = INGEST_HF,
  ) {
    this.timer = setInterval(() => this.tick(), 1000);
    this.timer.unref();
    this.tick();
  }

  readonly page = (_page: number, items: number): void => {
    this.pages++;
    this.papers += items;
    this.since = Date.now();
    this.tick();
  };

  readonly dayDone = (report: IngestReport, done: number): void => {
    const outcome = report.error ? 'failed' : `${plural(report.papers, 'paper')} (${plural(this.pages, 'page')})`;
    // A log gets every day of a short run; of a long backfill, failures and every tenth day.
    if (!this.io.status && (this.dates.length <= 31 || report.error || done % 10 === 0 || done === this.dates.length))
      this.io.err(`${report.date}: ${outcome}${this.dates.length > 31 ? ` (${done}/${this.dates.length} days${this.eta(done)})` : ''}`);
    this.day = done;
    this.pages = 0;
    this.since = Date.now();
    this.saidWait = false;
    this.tick();
  };

  stop(): void {
    clearInterval(this.timer);
    this.io.status?.('');
  }

  private tick(): void {
    const date = this.dates[this.day];
    if (date === undefined) return;
    const waited = Date.now() - this.since;
    const waiting =
      waited >= 1000
        ? ` · waiting for ${this.service} ${Math.round(waited / 1000)} s (gives up after ${givesUpAfterS(this.budget)} s)`
        : '';
    if (this.io.status) {
      const width = 20;
      const filled = Math.round((this.day / this.dates.length) * width);
      this.io.status(
        `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] day ${this.day + 1}/${this.dates.length} ${date} · page ${this.pages + 1} · ${plural(this.papers, 'paper')} so far${this.eta(this.day)}${waiting}`,
      );
    } else if (waited >= SAY_WAIT_AFTER_MS && !this.saidWait) {
      this.saidWait = true;
      this.io.err(`${date}: waiting for ${this.service} (gives up after ${givesUpAfterS(this.budget)} s)…`);
    }
  }

  /** " · 2.0 days/min · about 3 min left", from the pace so far (nothing until a day is done). */
  private eta(done: number): string {
    if (done === 0 || done >= this.dates.length) return '';
    const elapsed = Date.now() - this.started;
    const left = (elapsed / done) * (this.dates.length - done);
    const rate = (done / elapsed) * 60_000;
    return ` · ${rate.toFixed(1)} days/min · about ${left < 90_000 ? `${Math.ceil(left / 1000)} s` : `${Math.round(left / 60_000)} min`} left`;
  }
}
