import type { Subscription } from './subscription.js';

export interface LocalMoment {
  /** YYYY-MM-DD in the zone. */
  date: string;
  /** HH:MM, 24-hour, in the zone. */
  time: string;
  /** 0 = Sunday ... 6 = Saturday. */
  weekday: number;
}

/** How long after its time a digest may still go out (a tick missed during a restart or deploy). */
export const GRACE_MINUTES = 180;

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const formatters = new Map<string, Intl.DateTimeFormat>();

export function localMoment(now: Date, timeZone: string): LocalMoment {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      weekday: 'short',
    });
    formatters.set(timeZone, format);
  }
  const part = Object.fromEntries(format.formatToParts(now).map((p) => [p.type, p.value]));
  return {
    date: `${part.year}-${part.month}-${part.day}`,
    time: `${part.hour}:${part.minute}`,
    weekday: WEEKDAYS.indexOf(part.weekday!),
  };
}

/**
 * The local date whose digest is due at `now`, if any: on a day the subscription runs, from its time
 * until `graceMinutes` later, so that a tick missed during a restart or deploy still posts it.
 * Whether it was already posted is the claim's business, not the schedule's.
 */
export function dueDigestDate(
  subscription: Pick<Subscription, 'time' | 'timeZone' | 'days'>,
  now: Date,
  graceMinutes = GRACE_MINUTES,
): string | undefined {
  const local = localMoment(now, subscription.timeZone);
  if (!runsOn(subscription, local.weekday)) return undefined;
  const late = minutes(local.time) - minutes(subscription.time);
  return late >= 0 && late <= graceMinutes ? local.date : undefined;
}

/** Whether the subscription's digest goes out on that weekday (0 = Sunday): arXiv does not announce at weekends. */
export function runsOn(subscription: Pick<Subscription, 'days'>, weekday: number): boolean {
  return subscription.days === 'daily' || (weekday !== 0 && weekday !== 6);
}

function minutes(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h! * 60 + m!;
}

/** The instant a subscription's digest for local `date` is scheduled: its time that day in its zone. */
export function scheduledAt(subscription: Pick<Subscription, 'time' | 'timeZone'>, date: string): Date {
  const wanted = Date.parse(`${date}T${subscription.time}:00Z`);
  // Guess the instant as if the zone were UTC, then move by the zone's offset there (twice, for DST edges).
  let instant = wanted;
  for (let i = 0; i < 2; i++) {
    const local = localMoment(new Date(instant), subscription.timeZone);
    instant += wanted - Date.parse(`${local.date}T${local.time}:00Z`);
  }
  return new Date(instant);
}
