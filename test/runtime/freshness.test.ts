import { describe, expect, it } from 'vitest';
import { ago, describeFreshness, type RefreshState } from '../../src/runtime/freshness.js';

const NOW = new Date('2026-03-02T12:00:00Z');
const before = (minutes: number) => new Date(NOW.getTime() - minutes * 60_000);

function line(state: RefreshState, options: { seedOnly?: boolean; latestDay?: string | undefined } = {}): string {
  const latestDay = 'latestDay' in options ? options.latestDay : '2026-03-02';
  return describeFreshness({
    papers: () => 68,
    latestDay: () => latestDay,
    seedOnly: () => options.seedOnly ?? false,
    state: () => state,
    now: () => NOW,
  });
}

describe('freshness', () => {
  it('says where the papers come from and how current they are', () => {
    expect(line({ kind: 'not-refreshed' }, { seedOnly: true, latestDay: '2025-03-28' })).toBe(
      '68 papers; latest Daily Papers day 2025-03-28 (seed, not refreshed)',
    );
    expect(line({ kind: 'not-refreshed' })).toBe('68 papers; latest Daily Papers day 2026-03-02 (not refreshed since start)');
    expect(line({ kind: 'refreshed', at: before(10) })).toBe('68 papers; latest Daily Papers day 2026-03-02 (refreshed 10 min ago)');
    expect(line({ kind: 'failed', at: before(125), error: 'Hugging Face unavailable for 2026-03-02 after 4 attempts (HTTP 503)' })).toBe(
      '68 papers; latest Daily Papers day 2026-03-02 (refresh failed 2 h ago: Hugging Face unavailable for 2026-03-02 after 4 attempts (HTTP 503))',
    );
    expect(line({ kind: 'off' }, { seedOnly: true, latestDay: undefined })).toBe('68 papers (seed, refresh off)');
  });

  it('rounds elapsed time down to what a reader needs', () => {
    expect(ago(before(0.5), NOW)).toBe('just now');
    expect(ago(before(59), NOW)).toBe('59 min ago');
    expect(ago(before(60), NOW)).toBe('1 h ago');
    expect(ago(before(47 * 60 + 59), NOW)).toBe('47 h ago');
    expect(ago(before(3 * 24 * 60), NOW)).toBe('3 days ago');
  });
});
