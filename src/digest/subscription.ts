import { PHYSICS_ARCHIVES } from '../ingest/sources/arxiv-oai.js';

/**
 * The two digests a channel can hold, one subscription of each: today's trending Daily Papers, and
 * the papers new on arXiv (by first-version day) in its categories and topics.
 */
export type DigestKind = 'trending' | 'arxiv';
export const DIGEST_KINDS: readonly DigestKind[] = ['trending', 'arxiv'];

/** A channel's standing order for one morning digest. */
export interface Subscription {
  teamId: string;
  channelId: string;
  /** Absent: trending (subscriptions made before there were two kinds). */
  kind?: DigestKind;
  /** arXiv categories the arXiv digest keeps ("cs.CL", "cs.*"); empty or absent: every category harvested. */
  categories?: string[];
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

export type SubscribeArgs = Pick<Subscription, 'time' | 'timeZone' | 'days' | 'topics'> & { kind: DigestKind; categories: string[] };

/** The stored row's shape (categories space-separated, paused null) as a Subscription. */
export function subscriptionFromRow({
  paused,
  categories,
  ...row
}: Omit<Subscription, 'paused' | 'categories'> & { paused: string | null; categories: string }): Subscription {
  const list = categories.split(' ').filter(Boolean);
  const { kind, ...rest } = row;
  // Trending is the kind a subscription has when none is named.
  return { ...rest, ...(kind === 'arxiv' ? { kind } : {}), ...(list.length ? { categories: list } : {}), ...(paused ? { paused } : {}) };
}

export function kindOf(subscription: { kind?: DigestKind }): DigestKind {
  return subscription.kind ?? 'trending';
}

/** Archives whose subject classes are two capital letters (cs.CL, math.AG, stat.ML). */
const CAPITAL_SUBJECTS = new Set(['cs', 'econ', 'eess', 'math', 'q-bio', 'q-fin', 'stat']);
/**
 * arXiv's archives (https://arxiv.org/category_taxonomy): a category is an archive, or an archive
 * and a subject class ("cs.CL", "math.AG", "cond-mat.mes-hall", "astro-ph.CO"), or "archive.*".
 */
const ARXIV_ARCHIVES = new Set([...CAPITAL_SUBJECTS, ...PHYSICS_ARCHIVES]);
/** Computer science's subject classes, the ones typed most, checked one by one (https://arxiv.org/category_taxonomy). */
const CS_SUBJECTS = new Set(
  'AI AR CC CE CG CL CR CV CY DB DC DL DM DS ET FL GL GR GT HC IR IT LG LO MA MM MS NA NE NI OH OS PF PL RO SC SD SE SI SY'.split(' '),
);
/** A word shaped like a category: archive.subject or archive.* */
const CATEGORY_LIKE = /^([a-z]+(?:-[a-z]+)?)\.([A-Za-z]+(?:-[A-Za-z]+)*|\*)$/i;

/**
 * The category a word names ("cs.cl" read as cs.CL), an error when it is shaped like one but is not
 * in arXiv's taxonomy, or undefined for any other word (a topic).
 */
export function categoryOf(word: string): string | { error: string } | undefined {
  const match = CATEGORY_LIKE.exec(word);
  if (!match) return ARXIV_ARCHIVES.has(word.toLowerCase()) && word.includes('-') ? word.toLowerCase() : undefined;
  const archive = match[1]!.toLowerCase();
  const subject = match[2]!;
  const bad = {
    error: `"${word}" is not an arXiv category: use one like cs.CL, cs.LG, stat.ML or cond-mat.mes-hall, or a whole archive as cs.* (https://arxiv.org/category_taxonomy).`,
  };
  if (!ARXIV_ARCHIVES.has(archive)) return /^[a-z-]+\.[A-Z]{2}$|\.\*$/.test(word) ? bad : undefined;
  if (subject === '*') return `${archive}.*`;
  if (archive === 'cs' && !CS_SUBJECTS.has(subject.toUpperCase())) return bad;
  if (CAPITAL_SUBJECTS.has(archive)) return /^[a-z]{2}$/i.test(subject) ? `${archive}.${subject.toUpperCase()}` : bad;
  // Other archives' subject classes are spelled as arXiv does (astro-ph.CO, cond-mat.mes-hall, physics.optics).
  return `${archive}.${subject}`;
}

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
  let kind: DigestKind | undefined;
  const categories: string[] = [];
  const topics: string[] = [];
  const once = (what: string, word: string, already: unknown) =>
    already === undefined ? undefined : { error: `Two ${what}s given (the second is "${word}"): give one.` };
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    const next = words[i + 1];
    // "8:30 pm": the meridiem as a word of its own.
    // "at 9am", as people write it: the "at" is no topic.
    if (/^at$/i.test(word) && next && TIME.test(next) && /[:.h]|am|pm|m\.$/i.test(next)) continue;
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
    const named = DIGEST_KINDS.find((k) => k === word.toLowerCase());
    if (named) {
      if (kind && kind !== named) return { error: `Two kinds of digest given ("${kind}" and "${word}"): subscribe to each on its own.` };
      kind = named;
      continue;
    }
    const category = categoryOf(word);
    if (typeof category === 'object') return category;
    if (category) {
      if (!categories.includes(category)) categories.push(category);
      continue;
    }
    topics.push(word);
  }
  if (categories.length && kind !== 'arxiv') {
    return {
      error: `Categories (${categories.join(', ')}) choose papers for the arXiv digest: say \`/papers subscribe arxiv ${categories.join(' ')} …\`.`,
    };
  }
  const topicText = topics.join(' ').trim();
  if (topicText.length > MAX_TOPICS_LENGTH)
    return { error: `Topics are limited to ${MAX_TOPICS_LENGTH} characters; yours are ${topicText.length}.` };
  return {
    kind: kind ?? 'trending',
    categories,
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
