import { afterEach, describe, expect, it, vi } from 'vitest';
import { IngestProgress, plural } from '../../src/cli/ingest-progress.js';
import type { CliIo } from '../../src/cli/io.js';

function terminal() {
  const lines: string[] = [];
  const io = {
    out: () => {},
    err: (text: string) => lines.push(`err: ${text}`),
    status: (text: string) => lines.push(text),
  } as unknown as CliIo;
  return { io, lines };
}

describe('IngestProgress on a terminal', () => {
  afterEach(() => vi.useRealTimers());

  it('shows the day, the page, the papers so far, and a wait as it grows', () => {
    vi.useFakeTimers();
    const { io, lines } = terminal();
    const progress = new IngestProgress(['2025-03-27', '2025-03-28'], io);
    expect(lines.at(-1)).toBe('[....................] day 1/2 2025-03-27 · page 1 · 0 papers so far');
    progress.page(0, 100);
    expect(lines.at(-1)).toBe('[....................] day 1/2 2025-03-27 · page 2 · 100 papers so far');
    vi.advanceTimersByTime(12_000);
    expect(lines.at(-1)).toBe(
      '[....................] day 1/2 2025-03-27 · page 2 · 100 papers so far · waiting for Hugging Face 12 s (gives up after 32 s)',
    );
    progress.page(1, 1);
    progress.dayDone({ date: '2025-03-27', papers: 101, skipped: 0, skipReasons: {} }, 1);
    // One day took 12 s, so the other should take about as long.
    expect(lines.at(-1)).toBe('[##########..........] day 2/2 2025-03-28 · page 1 · 101 papers so far · 5.0 days/min · about 12 s left');
    progress.stop();
    expect(lines.at(-1)).toBe('');
    expect(lines.some((line) => line.startsWith('err:'))).toBe(false);
  });

  it('"1 day", "2 days"', () => {
    expect([plural(1, 'day'), plural(2, 'day'), plural(0, 'paper')]).toEqual(['1 day', '2 days', '0 papers']);
  });
});
