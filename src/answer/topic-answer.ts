import type { Answerer, SynthesisStream, Tldr } from './types.js';
import type { Paper } from '../papers/paper.js';
import { RERANK_DEPTH, type Reranker } from './rerank.js';
import { searchPapers } from '../search/hybrid.js';
import { wellMatched } from '../search/relevance-floor.js';
import type { SemanticSearch } from '../search/semantic.js';
import type { PaperIndex, SearchHit, SearchOptions } from '../search/types.js';

export const MAX_QUERY_LENGTH = 2000;
export const DEFAULT_PAPER_COUNT = 5;

export interface TopicAnswer {
  query: string;
  /** The papers the answer is about, numbered [1..n] in this order. */
  hits: SearchHit[];
  synthesis: SynthesisStream;
  /** Stops the synthesis (its LLM request) when nobody will read the rest. */
  cancel(): void;
  /** One TL;DR per hit, in the same order. */
  tldrs: Promise<Tldr[]>;
}

export type QueryProblem = { problem: 'empty' | 'too-long'; message: string };

/** Checks a user's query; the message is fit to show as it is. */
export function checkQuery(raw: string): { query: string } | QueryProblem {
  const query = raw.replace(/\s+/g, ' ').trim();
  if (!query) return { problem: 'empty', message: 'Tell me what to look for, e.g. "distillation".' };
  if (query.length > MAX_QUERY_LENGTH) {
    return {
      problem: 'too-long',
      message: `That query is ${query.length} characters long; the limit is ${MAX_QUERY_LENGTH}. Try a few key words.`,
    };
  }
  return { query };
}

/** What a topic answer searches with and writes with. */
export interface TopicDeps {
  index: PaperIndex;
  answerer: Answerer;
  semantic?: SemanticSearch | undefined;
  /** Set when PAPERBOY_RERANK=on and an LLM is configured. */
  reranker?: Reranker | undefined;
}

/**
 * The bot's main job, for Slack and the CLI alike: find the papers for a topic, then have them
 * synthesized and summarized. Returns undefined when nothing matches. Synchronous on the lexical
 * path; a promise when semantic retrieval (the query is embedded first) or the LLM rerank is on.
 */
export function answerTopic(
  query: string,
  deps: TopicDeps,
  options: SearchOptions = {},
): TopicAnswer | undefined | Promise<TopicAnswer | undefined> {
  const shown = options.limit ?? DEFAULT_PAPER_COUNT;
  if (deps.reranker) return rerankedAnswer(query, deps.reranker, deps, options, shown);
  const found = searchPapers(query, deps, { ...options, limit: shown });
  return Array.isArray(found) ? answerFor(query, found, deps.answerer) : found.then((hits) => answerFor(query, hits, deps.answerer));
}

function answerFor(query: string, found: SearchHit[], answerer: Answerer): TopicAnswer | undefined {
  // Only the papers that match well: "2 papers match well" rather than 3 weak ones as padding.
  const hits = wellMatched(found);
  if (hits.length === 0) return undefined;
  return withAnswers(query, hits, answerer);
}

/**
 * The search's top RERANK_DEPTH, ordered by the LLM, then the first `shown`. The relevance floor is
 * applied first, against the search's scores: the LLM orders the papers that match well and never
 * brings back a weak one (nor pays for reading it).
 */
async function rerankedAnswer(
  query: string,
  reranker: Reranker,
  deps: TopicDeps,
  options: SearchOptions,
  shown: number,
): Promise<TopicAnswer | undefined> {
  const candidates = wellMatched(await searchPapers(query, deps, { ...options, limit: Math.max(shown, RERANK_DEPTH) }));
  if (candidates.length === 0) return undefined;
  const ordered = await reranker.rerank(query, candidates);
  return withAnswers(query, ordered.slice(0, shown), deps.answerer);
}

/** Synthesis and TL;DRs for hits found some other way (e.g. "more like this"). */
export function withAnswers(query: string, hits: SearchHit[], answerer: Answerer): TopicAnswer {
  const papers: Paper[] = hits.map((hit) => hit.paper);
  const synthesis = new AbortController();
  return {
    query,
    hits,
    synthesis: answerer.synthesizeTopic(query, papers, synthesis.signal),
    cancel: () => synthesis.abort(),
    // TL;DRs are not cancelled: each is cached for every later answer and digest.
    tldrs: Promise.all(papers.map((paper) => answerer.tldr(paper))),
  };
}
