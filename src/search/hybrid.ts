import { splitSentences } from './sentences.js';
import type { SemanticSearch } from './semantic.js';
import type { PaperIndex, SearchHit, SearchOptions } from './types.js';

/**
 * Reciprocal-rank fusion's constant (Cormack, Clarke & Büttcher 2009): a paper scores
 * Σ 1/(k + rank) over the rankings it appears in. 60 is the paper's value and what Elasticsearch,
 * OpenSearch and Vespa default to; it was not tuned here (no real embeddings can be measured in
 * this repository). RRF uses ranks only, so BM25 scores and cosine similarities, on unrelated
 * scales, need no calibration; a large k keeps one side's top hit from outweighing agreement.
 */
export const RRF_K = 60;
/** How deep each side's ranking goes into the fusion. */
const FUSION_DEPTH = 100;

/**
 * The one search the answer path and the CLI use. Without semantic retrieval it is the lexical
 * index's search, returned synchronously (no await, nothing slower); with it, a promise of the
 * lexical and dense rankings fused.
 */
export function searchPapers(
  query: string,
  deps: { index: PaperIndex; semantic?: SemanticSearch | undefined },
  options: SearchOptions = {},
): SearchHit[] | Promise<SearchHit[]> {
  if (!deps.semantic) return deps.index.search(query, options);
  return hybridSearch(query, deps.index, deps.semantic, options);
}

async function hybridSearch(query: string, index: PaperIndex, semantic: SemanticSearch, options: SearchOptions): Promise<SearchHit[]> {
  const limit = options.limit ?? 10;
  const depth = Math.max(limit, FUSION_DEPTH);
  const lexical = index.search(query, { ...options, limit: depth });
  const vector = await semantic.embedQuery(query);
  if (!vector) return lexical.slice(0, limit);
  // Every paper with a vector is checked: by id, as reading each paper would inflate it (packed-papers.ts).
  const dense = semantic.nearest(vector, depth, index.accepts(options));
  const byId = new Map(lexical.map((hit) => [hit.paper.id, hit]));
  return fuseRankings([lexical.map((hit) => hit.paper.id), dense])
    .slice(0, limit)
    .map(({ id, score }) => {
      const hit = byId.get(id);
      return hit ? rescored(hit, score) : denseHit(index, id, score);
    });
}

/** Reciprocal-rank fusion of rankings of ids (best first): ids by fused score, ties by first appearance. */
export function fuseRankings(rankings: readonly (readonly string[])[], k = RRF_K): Array<{ id: string; score: number }> {
  const scores = new Map<string, number>();
  for (const ranking of rankings) {
    ranking.forEach((id, rank) => scores.set(id, (scores.get(id) ?? 0) + 1 / (k + rank + 1)));
  }
  return [...scores].map(([id, score]) => ({ id, score })).sort((a, b) => b.score - a.score);
}

/** The lexical hit with the fused score; its lazily computed `matched` and `snippet` stay lazy. */
function rescored(hit: SearchHit, score: number): SearchHit {
  return Object.defineProperties({ paper: hit.paper, score } as SearchHit, {
    matched: { get: () => hit.matched, enumerable: true },
    snippet: { get: () => hit.snippet, enumerable: true },
  });
}

/** A paper only the dense side found: no query word matched, so its snippet is its first sentence. */
function denseHit(index: PaperIndex, id: string, score: number): SearchHit {
  const paper = index.get(id)!;
  return { paper, score, matched: [], snippet: splitSentences(paper.abstract)[0] ?? '' };
}
