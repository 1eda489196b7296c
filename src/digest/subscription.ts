/** A channel's standing order for the morning digest. */
export interface Subscription {
  teamId: string;
  channelId: string;
  /** Local time of day, "HH:MM" (24-hour). */
  time: string;
  /** IANA time zone, e.g. "Europe/Paris". */
  timeZone: string;
  /** arXiv announces on weekdays only, so weekdays is the default. */
  days: 'weekdays' | 'daily';
  /** Topic words filtering the day's papers; empty for everything trending. */
  topics: string;
  createdBy: string;
  /** Why digests stopped (e.g. Slack said channel_not_found); absent while they run. */
  paused?: string;
}

export const DEFAULT_TIME = '09:00';
export const MAX_TOPICS_LENGTH = 200;

export type SubscribeArgs = Pick<Subscription, 'time' | 'timeZone' | 'days' | 'topics'>;

/**
 * Reads `subscribe [HH:MM] [timezone] [daily|weekdays] [topic words...]`. The subscriber's own Slack
 * time zone is the default; every argument is checked and the error says what was expected.
 */
export function parseSubscribeArgs(words: string[], defaultTimeZone: string): SubscribeArgs | { error: string } {
  const rest = [...words];
  let time = DEFAULT_TIME;
  let timeZone = defaultTimeZone;
  let days: Subscription['days'] = 'weekdays';

  if (rest[0] && /^\d{1,2}([:.h]\d{2}|am|pm)$/i.test(rest[0])) {
    const word = rest.shift()!;
    const parsed = parseTime(word);
    if (!parsed) return { error: `"${word}" is not a time of day: use 24-hour HH:MM, e.g. 09:00 or 17:30.` };
    time = parsed;
  }
  if (rest[0] && looksLikeTimeZone(rest[0])) {
    const word = rest.shift()!;
    const zone = canonicalTimeZone(word);
    if (!zone) return { error: `"${word}" is not a time zone I know: use an IANA name such as Europe/Paris, America/New_York or UTC.` };
    timeZone = zone;
  }
  if (rest[0] && /^(daily|weekdays)$/i.test(rest[0])) days = rest.shift()!.toLowerCase() as Subscription['days'];
  const topics = rest.join(' ').trim();
  if (topics.length > MAX_TOPICS_LENGTH) return { error: `Topics are limited to ${MAX_TOPICS_LENGTH} characters; yours are ${topics.length}.` };
  if (!canonicalTimeZone(timeZone)) timeZone = 'UTC';
  return { time, timeZone, days, topics };
}

function parseTime(text: string): string | undefined {
  const ampm = /^(\d{1,2})(am|pm)$/i.exec(text);
  let hours: number;
  let minutes: number;
  if (ampm) {
    hours = Number(ampm[1]);
    if (hours < 1 || hours > 12) return undefined;
    hours = (hours % 12) + (ampm[2]!.toLowerCase() === 'pm' ? 12 : 0);
    minutes = 0;
  } else {
    const [h, m] = text.split(/[:.h]/).map(Number);
    hours = h!;
    minutes = m!;
  }
  if (hours > 23 || minutes > 59) return undefined;
  return `${String(hours).padStart(2, '0')}:${String(minutes).padStart(2, '0')}`;
}

function looksLikeTimeZone(word: string): boolean {
  return word.includes('/') || /^(utc|gmt|z)$/i.test(word) || /^(utc|gmt)[+-]\d{1,2}$/i.test(word);
}

/** The zone's canonical IANA spelling, or undefined when the runtime does not know it. */
export function canonicalTimeZone(zone: string): string | undefined {
  const name = /^z$/i.test(zone) ? 'UTC' : zone.replace(/^(utc|gmt)([+-]\d{1,2})$/i, (_, __, offset: string) => `Etc/GMT${offset.startsWith('+') ? '-' : '+'}${offset.slice(1)}`);
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}
