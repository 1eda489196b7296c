import type { Paper } from '../papers/paper.js';
import type { PaperIndex } from '../search/types.js';

export interface DigestPick {
  paper: Paper;
  score: number;
  /** Why this paper made the channel's digest, in the order a reader cares about. */
  reasons: string[];
}

export interface DigestRequest {
  /** The day's trending papers. */
  trending: Paper[];
  /** The channel's topic words; empty for everything trending. */
  topics: string;
  /** Papers this channel got in the last 30 days: never again. */
  alreadyPosted: ReadonlySet<string>;
  /** Papers the channel voted on. */
  liked: string[];
  disliked: string[];
  limit: number;
}

/** How far feedback moves a paper: enough to reorder neighbours, not to bury the day's top paper. */
const FEEDBACK_WEIGHT = 0.35;
const NEIGHBOURS = 15;
/**
 * A paper is on a channel's topics when it scores at least this share of the best match in the whole
 * index: search ranks everything sharing one word, a digest wants only what is about the topic.
 */
const TOPIC_MIN_SHARE = 0.3;

/**
 * The channel's digest: the day's papers on its topics, ranked by trending rank and upvotes,
 * nudged toward papers like those the channel liked and away from those it disliked.
 */
export function selectDigest(request: DigestRequest, index: PaperIndex): DigestPick[] {
  const fresh = request.trending.filter((paper) => !request.alreadyPosted.has(paper.id));
  const topical = topicMatches(request.topics, fresh, index);
  const maxUpvotes = Math.max(1, ...fresh.map((paper) => paper.upvotes));
  const likes = neighbours(request.liked, index);
  const dislikes = neighbours(request.disliked, index);

  const picks = fresh
    .filter((paper) => !request.topics || topical.has(paper.id))
    .map((paper): DigestPick => {
      const reasons = [popularityReason(paper)];
      const matched = topical.get(paper.id);
      if (matched?.length) reasons.push(`matches your topics: ${matched.join(', ')}`);
      let score = popularity(paper, maxUpvotes);
      const liked = likes.get(paper.id);
      if (liked) {
        score += FEEDBACK_WEIGHT * liked.closeness;
        reasons.push(`like "${liked.title}", which this channel liked`);
      }
      const disliked = dislikes.get(paper.id);
      if (disliked) {
        score -= FEEDBACK_WEIGHT * disliked.closeness;
        reasons.push(`ranked lower: like "${disliked.title}", which this channel disliked`);
      }
      return { paper, score, reasons };
    });
  return picks.sort((a, b) => b.score - a.score).slice(0, request.limit);
}

/** 0..1 from trending rank (half the weight) and upvotes on a log scale (the other half). */
function popularity(paper: Paper, maxUpvotes: number): number {
  const rank = paper.trending?.rank ?? 100;
  return 0.5 / (1 + (rank - 1) / 5) + (0.5 * Math.log1p(paper.upvotes)) / Math.log1p(maxUpvotes);
}

function popularityReason(paper: Paper): string {
  const parts = [];
  if (paper.trending) parts.push(`#${paper.trending.rank} trending`);
  if (paper.upvotes) parts.push(`${paper.upvotes} upvotes`);
  return parts.join(', ') || 'new today';
}

function topicMatches(topics: string, papers: Paper[], index: PaperIndex): Map<string, string[]> {
  if (!topics) return new Map();
  const wanted = new Set(papers.map((paper) => paper.id));
  const hits = index.search(topics, { limit: Math.max(100, index.size), prior: false });
  const floor = (hits[0]?.score ?? 0) * TOPIC_MIN_SHARE;
  return new Map(hits.filter((hit) => hit.score >= floor && wanted.has(hit.paper.id)).map((hit) => [hit.paper.id, hit.matched]));
}

/** For each paper near a voted one: how near (1 = the nearest) and which voted paper it is near. */
function neighbours(voted: string[], index: PaperIndex): Map<string, { closeness: number; title: string }> {
  const near = new Map<string, { closeness: number; title: string }>();
  for (const id of voted) {
    const source = index.get(id);
    if (!source) continue;
    index.moreLike(id, { limit: NEIGHBOURS, prior: false }).forEach((hit, position) => {
      const closeness = 1 - position / NEIGHBOURS;
      if ((near.get(hit.paper.id)?.closeness ?? 0) < closeness) near.set(hit.paper.id, { closeness, title: source.title });
    });
  }
  return near;
}
