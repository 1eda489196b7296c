import { describe, expect, it } from 'vitest';
import { dueDigestDate, localMoment } from '../../src/digest/schedule.js';
import { interleaveWorkspaces } from '../../src/digest/scheduler.js';

const at = (iso: string) => new Date(iso);

describe('localMoment', () => {
  it('reads the wall clock of any zone, across DST changes', () => {
    expect(localMoment(at('2025-03-28T08:00:00Z'), 'Europe/Paris')).toEqual({ date: '2025-03-28', time: '09:00', weekday: 5 });
    expect(localMoment(at('2025-03-31T07:00:00Z'), 'Europe/Paris')).toEqual({ date: '2025-03-31', time: '09:00', weekday: 1 });
    expect(localMoment(at('2025-03-28T03:30:00Z'), 'America/Los_Angeles')).toEqual({ date: '2025-03-27', time: '20:30', weekday: 4 });
    expect(localMoment(at('2025-03-28T23:45:00Z'), 'Asia/Kolkata')).toEqual({ date: '2025-03-29', time: '05:15', weekday: 6 });
  });
});

describe('dueDigestDate', () => {
  const paris = { time: '09:00', timeZone: 'Europe/Paris', days: 'weekdays' as const };

  it('is due from the local time on, for the local date', () => {
    expect(dueDigestDate(paris, at('2025-03-28T07:59:00Z'))).toBeUndefined();
    expect(dueDigestDate(paris, at('2025-03-28T08:00:00Z'))).toBe('2025-03-28');
    expect(dueDigestDate(paris, at('2025-03-28T10:30:00Z'))).toBe('2025-03-28');
  });

  it('catches up after a missed tick, within the grace period only', () => {
    expect(dueDigestDate(paris, at('2025-03-28T11:00:00Z'), 180)).toBe('2025-03-28');
    expect(dueDigestDate(paris, at('2025-03-28T11:01:00Z'), 180)).toBeUndefined();
  });

  it('skips weekends unless daily', () => {
    const saturday = at('2025-03-29T08:00:00Z');
    expect(dueDigestDate(paris, saturday)).toBeUndefined();
    expect(dueDigestDate({ ...paris, days: 'daily' }, saturday)).toBe('2025-03-29');
  });

  it('gives each zone its own morning at the same instant', () => {
    const now = at('2025-03-28T13:00:00Z');
    expect(dueDigestDate({ time: '09:00', timeZone: 'America/New_York', days: 'weekdays' }, now)).toBe('2025-03-28');
    expect(dueDigestDate({ time: '09:00', timeZone: 'Asia/Tokyo', days: 'weekdays' }, now)).toBeUndefined();
    expect(dueDigestDate({ time: '21:30', timeZone: 'Asia/Tokyo', days: 'weekdays' }, at('2025-03-28T12:29:00Z'))).toBeUndefined();
    expect(dueDigestDate({ time: '21:30', timeZone: 'Asia/Tokyo', days: 'weekdays' }, at('2025-03-28T12:30:00Z'))).toBe('2025-03-28');
  });
});

describe('interleaveWorkspaces', () => {
  it('goes round the workspaces so that no workspace waits for another', () => {
    const due = ['A1', 'A2', 'A3', 'B1', 'C1', 'C2'].map((id) => ({ id, subscription: { teamId: id[0]! } }));
    expect(interleaveWorkspaces(due).map((d) => d.id)).toEqual(['A1', 'B1', 'C1', 'A2', 'C2', 'A3']);
  });
});
