import type { Paper } from '../papers/paper.js';
import { featuresFor, learnTaste, NO_SIGNALS, popularity, rankByTaste, type Signals } from '../recommend/index.js';
import type { PaperIndex } from '../search/types.js';

export interface DigestPick {
  paper: Paper;
  score: number;
  /** Why this paper made the channel's digest, in the order a reader cares about. */
  reasons: string[];
}

export interface DigestRequest {
  /** The day's trending papers: the candidates. */
  trending: Paper[];
  /** The channel's topic words; empty for everything trending. */
  topics: string;
  /** Papers this channel got in the last 30 days: never again. */
  alreadyPosted: ReadonlySet<string>;
  /** The channel's net votes: a 👎'd paper never reaches its digest; a 👍'd one is never ranked lower for it. */
  liked: string[];
  disliked: string[];
  /** What the channel's model learns from (its votes and weaker signals since its last reset); none: trending order. */
  signals?: Signals;
  limit: number;
}

/**
 * A paper is on a channel's topics when it scores at least this share of the best match in the whole
 * index: search ranks everything sharing one word, a digest wants only what is about the topic.
 */
const TOPIC_MIN_SHARE = 0.3;

/**
 * The channel's digest: the day's papers (on its topics, when it typed some) that it has neither had
 * nor 👎'd, ranked by popularity blended with the channel's learned model (src/recommend), papers it
 * 👍'd first.
 */
export function selectDigest(request: DigestRequest, index: PaperIndex): DigestPick[] {
  const disliked = new Set(request.disliked);
  const liked = new Set(request.liked);
  const fresh = request.trending.filter((paper) => !request.alreadyPosted.has(paper.id) && !disliked.has(paper.id));
  const topical = topicMatches(request.topics, fresh, index);
  const candidates = fresh.filter((paper) => !request.topics || topical.has(paper.id));
  const signals = { ...(request.signals ?? NO_SIGNALS), topics: request.topics };
  const taste = learnTaste(signals, featuresFor(index), (id) => index.get(id), candidates);
  const maxUpvotes = Math.max(1, ...candidates.map((paper) => paper.upvotes));
  const ranked = rankByTaste(candidates, taste, (paper) => popularity(paper, maxUpvotes));

  const picks = ranked.map(({ paper, score, because }): DigestPick => {
    const reasons = liked.has(paper.id) ? ['👍 in this channel', popularityReason(paper)] : [popularityReason(paper)];
    const matched = topical.get(paper.id);
    if (because.length) reasons.push(`picked for this channel: ${because.join(', ')}`);
    else if (matched?.length) reasons.push(`matches your topics: ${matched.join(', ')}`);
    return { paper, score, reasons };
  });
  // A paper the channel 👍'd is never pushed down by anything its vote taught the model.
  const first = picks.filter((pick) => liked.has(pick.paper.id));
  return [...first, ...picks.filter((pick) => !liked.has(pick.paper.id))].slice(0, request.limit);
}

function popularityReason(paper: Paper): string {
  const parts = [];
  if (paper.trending) parts.push(`#${paper.trending.rank} trending`);
  if (paper.upvotes) parts.push(`${paper.upvotes} upvotes`);
  return parts.join(', ') || 'new today';
}

function topicMatches(topics: string, papers: Paper[], index: PaperIndex): Map<string, string[]> {
  if (!topics) return new Map();
  // The floor is set by the best match in the whole index; then only the day's papers are searched, so
  // that no other paper is read (a common topic matches a good share of a large index).
  const best = index.search(topics, { limit: 1, prior: false })[0]?.score ?? 0;
  const floor = best * TOPIC_MIN_SHARE;
  const hits = index.search(topics, { limit: papers.length, prior: false, only: papers.map((paper) => paper.id) });
  return new Map(hits.filter((hit) => hit.score >= floor).map((hit) => [hit.paper.id, hit.matched]));
}
