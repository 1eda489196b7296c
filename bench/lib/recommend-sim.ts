/**
 * The simulated channels of bench:recommend (protocol in bench/RESULTS.md): hidden interests named through
 * Hugging Face's ai_keywords, relevance, the 30-day memory of what a channel was shown.
 */
import type { Signals, Vote } from '../../src/recommend/index.js';
import type { HfDay } from './hf-days.js';

export const PROTOCOL = {
  digestSize: 5,
  /** A day counts as labelled when at least this share of its items have ai_keywords. */
  labelledDayShare: 0.8,
  /** An area is a normalised ai_keyword used by at least this many labelled items... */
  areaMinItems: 10,
  /** ...and by at most this share of them (broader ones, like "large language models", say nothing). */
  areaMaxShare: 0.05,
  areasPerChannel: 3,
  /** A channel's areas together cover this share of labelled items (else redrawn): rare but not absent. */
  coverage: [0.04, 0.2] as const,
  /** Each paper shown is voted on with this probability... */
  voteProbability: 0.5,
  /** ...and the vote is wrong with this probability. */
  wrongVote: 0.1,
  /** A channel never gets the same paper twice within this many days (as the digest). */
  dedupeDays: 30,
};
export const BUCKETS = [0, 10, 20, 40] as const;

export interface Channel {
  id: string;
  areas: string[];
}

export interface Run {
  posted: Map<string, string>; // paper id → date posted
  votes: Map<string, 1 | -1>;
}

function normalise(keyword: string): string {
  return keyword
    .toLowerCase()
    .replace(/\([^)]*\)/g, ' ')
    .replace(/[^a-z0-9+]+/g, ' ')
    .trim();
}

export function isRelevant(keywords: readonly string[], areas: readonly string[]): boolean {
  return keywords.some((keyword) => {
    const padded = ` ${normalise(keyword)} `;
    return areas.some((area) => padded.includes(` ${area} `));
  });
}

export function pickChannels(labelled: HfDay[], count: number, random: () => number): Channel[] {
  const items = labelled.flatMap((day) => day.papers.filter((entry) => entry.aiKeywords.length));
  const uses = new Map<string, number>();
  for (const { aiKeywords } of items)
    for (const area of new Set(aiKeywords.map(normalise))) if (area) uses.set(area, (uses.get(area) ?? 0) + 1);
  const areas = [...uses]
    .filter(([, n]) => n >= PROTOCOL.areaMinItems && n <= PROTOCOL.areaMaxShare * items.length)
    .map(([area]) => area)
    .sort();
  const channels: Channel[] = [];
  for (let attempt = 0; channels.length < count && attempt < 10_000; attempt++) {
    const chosen = new Set<string>();
    while (chosen.size < PROTOCOL.areasPerChannel) chosen.add(areas[Math.floor(random() * areas.length)]!);
    const picked = [...chosen];
    const covered = items.filter((item) => isRelevant(item.aiKeywords, picked)).length / items.length;
    if (covered >= PROTOCOL.coverage[0] && covered <= PROTOCOL.coverage[1]) channels.push({ id: `C${channels.length + 1}`, areas: picked });
  }
  return channels;
}

function daysBetween(a: string, b: string): number {
  return (Date.parse(b) - Date.parse(a)) / 86_400_000;
}

export function recentlyPosted(run: Run, date: string): Set<string> {
  return new Set([...run.posted].filter(([, when]) => daysBetween(when, date) < PROTOCOL.dedupeDays).map(([id]) => id));
}

/** What the run's channel told the recommender: its votes, and the papers it was shown and did not vote on. */
export function signalsOf(run: Run): Signals {
  const votes = [...run.votes].map(([paperId, value]): Vote => ({ paperId, value }));
  return { votes, clues: [], shown: [...run.posted.keys()].filter((id) => !run.votes.has(id)) };
}

/** The vote-count buckets: "0–9", "10–19", "20–39", "40+". */
export function buckets(): Array<{ label: string; holds: (votes: number) => boolean }> {
  return BUCKETS.map((low, i) => {
    const high = BUCKETS[i + 1] ?? Infinity;
    return { label: high === Infinity ? `${low}+` : `${low}–${high - 1}`, holds: (votes: number) => votes >= low && votes < high };
  });
}

export function mean(values: number[]): number {
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : NaN;
}

export function newRun(): Run {
  return { posted: new Map(), votes: new Map() };
}

/** The judged days (≥ PROTOCOL.labelledDayShare of their items labelled), oldest first. */
export function labelledDays(days: HfDay[]): HfDay[] {
  return days.filter(
    (day) =>
      day.papers.length && day.papers.filter((entry) => entry.aiKeywords.length).length >= PROTOCOL.labelledDayShare * day.papers.length,
  );
}

/** The first half of the judged days by date (parameters are chosen there), then the second (reported). */
export function halfOf(labelled: HfDay[]): (date: string) => 'first' | 'second' {
  const cut = labelled[Math.ceil(labelled.length / 2)]?.date ?? '9999';
  return (date) => (date < cut ? 'first' : 'second');
}
