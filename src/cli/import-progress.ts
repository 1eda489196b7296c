import type { SnapshotProgress } from '../ingest/arxiv-snapshot.js';
import type { CliIo } from './io.js';

/** In a log (no terminal), a progress line at least this often... */
const LOG_EVERY_MS = 60_000;
/** ...and at each tenth of the file. */
const LOG_STEPS = 10;

/**
 * Progress of `paperboy import`: bytes read of the file's size, records per second and the time
 * left. A terminal gets one status line that replaces itself, ticking each second; a log gets a line
 * at each tenth of the file and at least once a minute.
 */
export class ImportProgress {
  private last: SnapshotProgress | undefined;
  private firstBytes: number | undefined;
  private firstLines = 0;
  private loggedStep = 0;
  private loggedAt = Date.now();
  private readonly started = Date.now();
  private readonly timer: NodeJS.Timeout | undefined;

  constructor(private readonly io: CliIo) {
    if (io.status) {
      this.timer = setInterval(() => this.show(), 1000);
      this.timer.unref();
    }
  }

  readonly batch = (progress: SnapshotProgress): void => {
    this.last = progress;
    if (this.io.status) return this.show();
    const step = Math.floor((progress.bytesRead / Math.max(progress.totalBytes, 1)) * LOG_STEPS);
    if (step > this.loggedStep || Date.now() - this.loggedAt >= LOG_EVERY_MS) {
      this.loggedStep = step;
      this.loggedAt = Date.now();
      this.io.err(this.line(progress));
    }
  };

  /** Where a resumed run started, so that speed and time left count only this run's work. */
  resumedAt(bytes: number, lines: number): void {
    this.firstBytes = bytes;
    this.firstLines = lines;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.io.status?.('');
  }

  private show(): void {
    if (!this.last) return;
    const width = 20;
    const filled = Math.round((this.last.bytesRead / Math.max(this.last.totalBytes, 1)) * width);
    this.io.status?.(`[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${this.line(this.last)}`);
  }

  /** "45% · 1.2 of 3.9 GB · 12,345 records/s · 123,456 stored, 3 skipped · about 3 min left" */
  private line(progress: SnapshotProgress): string {
    const seconds = Math.max((Date.now() - this.started) / 1000, 0.001);
    const percent = Math.floor((progress.bytesRead / Math.max(progress.totalBytes, 1)) * 100);
    const rate = Math.round((progress.lines - this.firstLines) / seconds);
    const bytesThisRun = progress.bytesRead - (this.firstBytes ?? 0);
    const left = bytesThisRun > 0 ? ((progress.totalBytes - progress.bytesRead) / bytesThisRun) * seconds : undefined;
    return [
      `${percent}%`,
      `${size(progress.bytesRead)} of ${size(progress.totalBytes)}`,
      `${rate.toLocaleString('en-US')} records/s`,
      `${progress.stored.toLocaleString('en-US')} stored, ${progress.skipped.toLocaleString('en-US')} skipped`,
      ...(left !== undefined && progress.bytesRead < progress.totalBytes ? [`about ${duration(left)} left`] : []),
    ].join(' · ');
  }
}

function size(bytes: number): string {
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(1)} GB`;
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(1)} MB`;
  return `${Math.ceil(bytes / 1e3)} KB`;
}

function duration(seconds: number): string {
  return seconds < 90 ? `${Math.ceil(seconds)} s` : `${Math.round(seconds / 60)} min`;
}
