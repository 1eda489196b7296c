import { addDays } from '../lib/days.js';
import type { Paper } from '../papers/paper.js';
import type { PaperIndex } from '../search/types.js';
import type { DigestStore } from '../digest/digest-store.js';
import type { PaperStore } from '../papers/paper-store.js';
import { featuresFor, popularity } from './popularity.js';
import { learnedInterests, learnTaste, rankByTaste } from './taste.js';

/** How far back /papers recommend looks, from the newest Daily Papers list. */
export const RECOMMEND_DAYS = 14;

export interface Recommendation {
  paper: Paper;
  /** The model's strongest terms this paper has; empty when it was picked for popularity alone. */
  because: string[];
}

export interface Recommendations {
  picks: Recommendation[];
  /** False while the channel has taught the model nothing: the picks are the trending order. */
  learned: boolean;
  /** The newest Daily Papers day the picks come from. */
  newest?: string;
}

type Store = Pick<PaperStore, 'latestTrendingDate' | 'trendingOn'> & Pick<DigestStore, 'channelVotes' | 'postedPaperIds'>;

/**
 * The best papers of the last RECOMMEND_DAYS days of Daily Papers that the channel (in a DM: the person)
 * has not seen in a digest nor voted on, by its learned model blended with popularity (trending order
 * while it has no votes).
 */
export async function recommendFor(
  teamId: string,
  channelId: string,
  today: string,
  deps: { store: Store; index: PaperIndex },
  limit = 5,
): Promise<Recommendations> {
  const { store, index } = deps;
  const newest = await store.latestTrendingDate(today);
  if (!newest) return { picks: [], learned: false };
  const since = addDays(newest, -(RECOMMEND_DAYS - 1));
  const [days, votes, seen] = await Promise.all([
    Promise.all(Array.from({ length: RECOMMEND_DAYS }, (_, i) => store.trendingOn(addDays(newest, -i)))),
    store.channelVotes(teamId, channelId),
    store.postedPaperIds(teamId, channelId, since),
  ]);
  const voted = new Set([...votes.liked, ...votes.disliked]);
  const candidates = [...new Map(days.flat().map((paper) => [paper.id, paper])).values()].filter(
    (paper) => !seen.has(paper.id) && !voted.has(paper.id),
  );
  const taste = learnTaste(votes.signals, featuresFor(index), (id) => index.get(id), candidates);
  const maxUpvotes = Math.max(1, ...candidates.map((paper) => paper.upvotes));
  const ranked = rankByTaste(candidates, taste, (paper) => popularity(paper, maxUpvotes)).slice(0, limit);
  return { picks: ranked.map(({ paper, because }) => ({ paper, because })), learned: taste.evidence > 0, newest };
}

/** What a channel's (or person's) model has learned, and from how much. */
export interface LearnedInterests {
  /** Its strongest terms, as people write them; empty while it has nothing to go on. */
  terms: string[];
  /** The net votes (since the last reset) it was trained on. */
  votes: number;
}

/** What the channel's (or person's) model has learned it likes, as words; empty while it has nothing to go on. */
export async function interestsOf(
  teamId: string,
  channelId: string,
  today: string,
  deps: { store: Store; index: PaperIndex },
): Promise<string[]> {
  return (await learnedInterestsOf(teamId, channelId, today, deps)).terms;
}

/** The model's strongest terms and how many votes taught it, as App Home shows them. */
export async function learnedInterestsOf(
  teamId: string,
  channelId: string,
  today: string,
  deps: { store: Store; index: PaperIndex },
): Promise<LearnedInterests> {
  const { store, index } = deps;
  const [votes, newest] = await Promise.all([store.channelVotes(teamId, channelId), store.latestTrendingDate(today)]);
  // The newest day's papers stand for "everything else", as in the digest.
  const background = newest ? await store.trendingOn(newest) : [];
  const taste = learnTaste(votes.signals, featuresFor(index), (id) => index.get(id), background);
  return { terms: taste.evidence ? learnedInterests(taste) : [], votes: votes.signals.votes.length };
}
