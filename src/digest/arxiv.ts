import { addDays } from '../lib/days.js';
import { categoryFilter } from '../ingest/sources/arxiv-oai.js';
import type { PaperStore } from '../papers/paper-store.js';
import type { Paper } from '../papers/paper.js';
import type { PaperIndex } from '../search/types.js';
import type { DigestStore } from './digest-store.js';
import { selectDigest, type DigestPick } from './select.js';
import type { Subscription } from './subscription.js';

/*
 * The arXiv digest: papers new on arXiv (by first-version day) in the channel's categories and on
 * its topics, from the closed days it has not received, ranked by the channel's interests as the
 * trending digest is (src/recommend through selectDigest), top N and how many more.
 */

/** A first arXiv digest reaches back this far for the newest day with papers (a Monday after a weekend). */
const FIRST_LOOKBACK_DAYS = 7;
/** Nor does any arXiv digest reach further back than this (a channel paused for a month). */
const MAX_WINDOW_DAYS = 30;

export type ArxivSelection =
  | { kind: 'picks'; days: string[]; picks: DigestPick[]; more: number; listing: string }
  /** `throughDay`: the newest day it covered with papers, so a day still arriving is looked at again. */
  | { kind: 'nothing-new'; reason: string; throughDay: string };

export interface ArxivDeps {
  store: DigestStore & PaperStore;
  index: PaperIndex;
  size: number;
}

/** The channel's arXiv digest for the closed days through `newest` it has not had. */
export async function selectArxivDigest(
  subscription: Subscription,
  newest: string,
  since: string,
  deps: ArxivDeps,
): Promise<ArxivSelection> {
  const { store } = deps;
  const { teamId, channelId } = subscription;
  const last = await store.lastDigestDay(teamId, channelId, 'arxiv');
  let from: string;
  if (last) from = addDays(last, 1);
  else {
    const latest = await store.latestArxivDay(newest);
    from = latest && latest >= addDays(newest, -FIRST_LOOKBACK_DAYS) ? latest : newest;
  }
  if (from < addDays(newest, -(MAX_WINDOW_DAYS - 1))) from = addDays(newest, -(MAX_WINDOW_DAYS - 1));
  if (from > newest)
    return { kind: 'nothing-new', reason: `already has every closed arXiv day through ${newest}`, throughDay: last ?? newest };
  const papers = await store.arxivPapersBetween(from, newest);
  // Papers come newest day first: the newest day held is where the next digest starts after.
  const throughDay = papers[0]?.publishedAt ?? last ?? addDays(from, -1);
  const categories = subscription.categories ?? [];
  const inCategories = categories.length ? inAny(categoryFilter(categories)) : () => true;
  const candidates = papers.filter(inCategories);
  const where = `${categories.length ? categories.join(', ') : 'its categories'} on ${from === newest ? from : `${from} to ${newest}`}`;
  if (!candidates.length) return { kind: 'nothing-new', reason: `no new arXiv papers in ${where}`, throughDay };
  const [alreadyPosted, votes] = await Promise.all([store.postedPaperIds(teamId, channelId, since), store.channelVotes(teamId, channelId)]);
  // Every match ranked, so that the digest can say how many more there were.
  const ranked = selectDigest(
    { trending: candidates, topics: subscription.topics, alreadyPosted, ...votes, limit: candidates.length },
    deps.index,
  );
  if (!ranked.length) return { kind: 'nothing-new', reason: `nothing new on its topics in ${where}`, throughDay };
  const days = [...new Set(candidates.map((paper) => paper.publishedAt!))].sort();
  return {
    kind: 'picks',
    days,
    picks: ranked.slice(0, deps.size),
    more: Math.max(0, ranked.length - deps.size),
    listing: listingUrl(categories),
  };
}

function inAny(wanted: (category: string) => boolean): (paper: Paper) => boolean {
  return (paper) => (paper.categories ?? []).some(wanted);
}

/** arXiv's list of new papers: the first category's archive (or one category) when the channel named any. */
export function listingUrl(categories: string[]): string {
  const first = categories[0];
  const name = first?.endsWith('.*') ? first.slice(0, -2) : first;
  return `https://arxiv.org/list/${name ?? 'cs'}/new`;
}
