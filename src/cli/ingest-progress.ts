import type { IngestReport } from '../ingest/ingest.js';
import type { CliIo } from './io.js';

/** What one ingest run waits for a source at most per page: 3 tries of 10 s, and the pauses between. */
export const INGEST_CLIENT = { timeoutMs: 10_000, attempts: 3 } as const;
const GIVES_UP_S = Math.ceil((INGEST_CLIENT.attempts * INGEST_CLIENT.timeoutMs + 500 + 1000) / 1000);
/** On a terminal the status line ticks every second; elsewhere a wait is said once, past this. */
const SAY_WAIT_AFTER_MS = 5_000;
/** In a log, a run of at most this many days gets a line per day; a longer backfill a line per this many. */
const LOG_EVERY_DAYS = 30;

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * Progress of `paperboy ingest` as it goes: the day (of how many), the page, the papers so far, the
 * rate and the time left, and how long the source has kept it waiting (with when it gives up), so that
 * a hanging endpoint is seen. A terminal gets one status line that replaces itself; a log gets a line
 * per day (per LOG_EVERY_DAYS days in a long backfill), every failed day, and each long wait.
 */
export class IngestProgress {
  private done = 0;
  private fetched = 0;
  private pages = 0;
  private papers = 0;
  private readonly started = Date.now();
  private since = Date.now();
  private saidWait = false;
  private readonly timer: NodeJS.Timeout;
  private readonly steps: string[];
  /** Who a wait is for: "Hugging Face" for the one source hf. */
  private readonly who: string;

  constructor(
    dates: string[],
    private readonly io: CliIo,
    sources: string[] = ['hf'],
  ) {
    this.who = sources.length === 1 ? (sources[0] === 'hf' ? 'Hugging Face' : sources[0]!) : 'the sources';
    this.steps = dates.flatMap((date) => sources.map((source) => (sources.length > 1 ? `${source} ${date}` : date)));
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
    const label = this.steps[done - 1] ?? report.date;
    if (!report.held) this.fetched++;
    if (!this.io.status) {
      const outcome = report.error ? 'failed' : `${plural(report.papers, 'paper')} (${plural(this.pages, 'page')})`;
      if (this.steps.length <= LOG_EVERY_DAYS) {
        if (!report.held) this.io.err(`${label}: ${outcome}`);
      } else if (report.error) {
        this.io.err(`${label}: failed`);
      } else if (done % LOG_EVERY_DAYS === 0 || done === this.steps.length) {
        this.io.err(
          `${plural(done, 'day')} of ${this.steps.length} (through ${label}) · ${plural(this.papers, 'paper')}${this.pace(done)}`,
        );
      }
    }
    this.done = done;
    this.pages = 0;
    this.since = Date.now();
    this.saidWait = false;
    this.tick();
  };

  stop(): void {
    clearInterval(this.timer);
    this.io.status?.('');
  }

  /** " · 2.0 days/min · about 5 min left", once a day has been fetched (days already held cost nothing). */
  private pace(done: number): string {
    const minutes = (Date.now() - this.started) / 60_000;
    if (!this.fetched || minutes <= 0) return '';
    const perMinute = this.fetched / minutes;
    const left = Math.ceil((this.steps.length - done) / perMinute);
    return ` · ${perMinute.toFixed(1)} days/min · about ${left < 1 ? 'a minute' : plural(left, 'min')} left`;
  }

  private tick(): void {
    const label = this.steps[this.done];
    if (label === undefined) return;
    const waited = Date.now() - this.since;
    const waiting = waited >= 1000 ? ` · waiting for ${this.who} ${Math.round(waited / 1000)} s (gives up after ${GIVES_UP_S} s)` : '';
    if (this.io.status) {
      const width = 20;
      const filled = Math.round((this.done / this.steps.length) * width);
      this.io.status(
        `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] day ${this.done + 1}/${this.steps.length} ${label} · page ${this.pages + 1} · ${plural(this.papers, 'paper')} so far${this.pace(this.done)}${waiting}`,
      );
    } else if (waited >= SAY_WAIT_AFTER_MS && !this.saidWait) {
      this.saidWait = true;
      this.io.err(`${label}: waiting for ${this.who} (gives up after ${GIVES_UP_S} s)…`);
    }
  }
}
