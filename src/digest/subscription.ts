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
 * Zone abbreviations people type, mapped to the IANA zone they mean (with its daylight saving), or,
 * when one abbreviation names several zones, refused with the IANA names to choose from.
 */
const ZONE_ABBREVIATIONS: Record<string, string | string[]> = {
  UTC: 'UTC',
  GMT: 'UTC',
  Z: 'UTC',
  PST: 'America/Los_Angeles',
  PDT: 'America/Los_Angeles',
  PT: 'America/Los_Angeles',
  MST: 'America/Denver',
  MDT: 'America/Denver',
  MT: 'America/Denver',
  CST: ['America/Chicago', 'Asia/Shanghai'],
  CDT: 'America/Chicago',
  CT: 'America/Chicago',
  EST: 'America/New_York',
  EDT: 'America/New_York',
  ET: 'America/New_York',
  AKST: 'America/Anchorage',
  HST: 'Pacific/Honolulu',
  BST: ['Europe/London', 'Asia/Dhaka'],
  WET: 'Europe/Lisbon',
  WEST: 'Europe/Lisbon',
  CET: 'Europe/Paris',
  CEST: 'Europe/Paris',
  EET: 'Europe/Athens',
  EEST: 'Europe/Athens',
  MSK: 'Europe/Moscow',
  IST: ['Asia/Kolkata', 'Europe/Dublin', 'Asia/Jerusalem'],
  AST: ['America/Halifax', 'Asia/Riyadh'],
  PKT: 'Asia/Karachi',
  WIB: 'Asia/Jakarta',
  SGT: 'Asia/Singapore',
  HKT: 'Asia/Hong_Kong',
  JST: 'Asia/Tokyo',
  KST: 'Asia/Seoul',
  AEST: 'Australia/Sydney',
  AEDT: 'Australia/Sydney',
  ACST: 'Australia/Adelaide',
  AWST: 'Australia/Perth',
  NZST: 'Pacific/Auckland',
  NZDT: 'Pacific/Auckland',
  BRT: 'America/Sao_Paulo',
};
const FREQUENCIES: Record<string, Subscription['days']> = {
  daily: 'daily',
  everyday: 'daily',
  weekdays: 'weekdays',
  weekday: 'weekdays',
  'mon-fri': 'weekdays',
};
/** Words that say how often, which a digest cannot do (it is daily or weekdays). */
const OTHER_FREQUENCIES =
  /^(weekly|monthly|hourly|weekends?|fortnightly|biweekly|mondays?|tuesdays?|wednesdays?|thursdays?|fridays?|saturdays?|sundays?|mon|tue|wed|thu|fri|sat|sun)$/i;
/** A time as typed: 8am, 8:30pm, 20:30, 9.30, 9h30, 8 (before am/pm). */
const TIME = /^(\d{1,2})(?:[:.h](\d{2}))?(am|pm|a\.m\.|p\.m\.)?$/i;
/** Something meant as a time that is not one: digits with a colon, or am/pm glued to something. */
const TIME_LIKE = /^\d{1,2}[:.h]\d*\S*$|^\d+(am|pm)$|^(am|pm|a\.m\.|p\.m\.)$/i;

/**
 * Reads `subscribe [time] [zone] [daily|weekdays] [topic words...]`, the options in any order and
 * each optional: 8am, 8:30pm, 20:30 or 8:30 pm; an IANA zone, UTC+2, or a common abbreviation; the
 * subscriber's own Slack zone by default. Anything that looks like a time, a zone or a frequency
 * but is not understood is an error naming it, never a topic.
 */
export function parseSubscribeArgs(words: string[], defaultTimeZone: string): SubscribeArgs | { error: string } {
  let time: string | undefined;
  let timeZone: string | undefined;
  let days: Subscription['days'] | undefined;
  const topics: string[] = [];
  const once = (what: string, word: string, already: unknown) =>
    already === undefined ? undefined : { error: `Two ${what}s given (the second is "${word}"): give one.` };
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    const next = words[i + 1];
    // "8:30 pm": the meridiem as a word of its own.
    const meridiem = next && /^(am|pm|a\.m\.|p\.m\.)$/i.test(next) && /^\d{1,2}([:.h]\d{2})?$/.test(word) ? next : '';
    if (TIME.test(word + meridiem) && (meridiem || /[:.h]|am|pm|m\.$/i.test(word))) {
      const parsed = parseTime(word + meridiem);
      if (!parsed) return { error: `"${word}${meridiem ? ` ${meridiem}` : ''}" is not a time of day: use e.g. 8am, 8:30pm or 20:30.` };
      const twice = once('time', word, time);
      if (twice) return twice;
      time = parsed;
      if (meridiem) i++;
      continue;
    }
    if (TIME_LIKE.test(word)) return { error: `"${word}" is not a time of day I understand: use e.g. 8am, 8:30pm or 20:30.` };
    const zone = zoneOf(word);
    if (zone !== undefined) {
      if (typeof zone === 'object') return zone;
      const twice = once('time zone', word, timeZone);
      if (twice) return twice;
      timeZone = zone;
      continue;
    }
    const frequency = FREQUENCIES[word.toLowerCase()];
    if (frequency) {
      const twice = once('frequency', word, days);
      if (twice) return twice;
      days = frequency;
      continue;
    }
    if (OTHER_FREQUENCIES.test(word)) return { error: `"${word}": digests go out daily or on weekdays; say \`daily\` or \`weekdays\`.` };
    topics.push(word);
  }
  const topicText = topics.join(' ').trim();
  if (topicText.length > MAX_TOPICS_LENGTH)
    return { error: `Topics are limited to ${MAX_TOPICS_LENGTH} characters; yours are ${topicText.length}.` };
  return {
    time: time ?? DEFAULT_TIME,
    timeZone: timeZone ?? canonicalTimeZone(defaultTimeZone) ?? 'UTC',
    days: days ?? 'weekdays',
    topics: topicText,
  };
}

/** The zone a word names; an error when it looks like a zone but is not one (or is ambiguous); undefined for other words. */
function zoneOf(word: string): string | { error: string } | undefined {
  const known = ZONE_ABBREVIATIONS[word.toUpperCase()];
  if (Array.isArray(known)) return { error: `"${word}" names several time zones: use the IANA name, e.g. ${known.join(' or ')}.` };
  // Two-letter ones (ET, PT) and WEST only in capitals: in lower case they are ordinary words.
  if (known && (word === word.toUpperCase() || (word.length > 2 && word.toUpperCase() !== 'WEST'))) return known;
  if (/^(utc|gmt)[+-]\d{1,2}(:?\d{2})?$/i.test(word) || /^[A-Za-z_]+\/[A-Za-z_/+-]+$/.test(word)) {
    return (
      canonicalTimeZone(word) ?? {
        error: `"${word}" is not a time zone I know: use an IANA name such as Europe/Paris, America/New_York or UTC.`,
      }
    );
  }
  return undefined;
}

function parseTime(text: string): string | undefined {
  const match = TIME.exec(text);
  if (!match) return undefined;
  let hours = Number(match[1]);
  const minutes = match[2] === undefined ? 0 : Number(match[2]);
  const meridiem = match[3]?.toLowerCase().replaceAll('.', '');
  if (meridiem) {
    if (hours < 1 || hours > 12) return undefined;
    hours = (hours % 12) + (meridiem === 'pm' ? 12 : 0);
  }
  if (hours > 23 || minutes > 59) return undefined;
  return `${String(hours).padStart(2, '0')}:${String(minutes).padStart(2, '0')}`;
}

/** The zone's canonical IANA spelling, or undefined when the runtime does not know it. */
export function canonicalTimeZone(zone: string): string | undefined {
  const name = /^z$/i.test(zone)
    ? 'UTC'
    : zone.replace(
        /^(utc|gmt)([+-]\d{1,2})$/i,
        (_, __, offset: string) => `Etc/GMT${offset.startsWith('+') ? '-' : '+'}${offset.slice(1)}`,
      );
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}
