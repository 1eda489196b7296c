import type { Paper } from '../papers/paper.js';

export interface SearchOptions {
  /** Most hits to return; default 10. */
  limit?: number;
  /** Blend in popularity and recency (upvotes, trending rank); default true. */
  prior?: boolean;
  /** Inclusive ISO date bounds (YYYY-MM-DD) on the paper's publishedAt, else its trending date. */
  from?: string;
  to?: string;
  minUpvotes?: number;
  /** Ids to leave out (e.g. the paper a "more like this" search starts from). */
  exclude?: Iterable<string>;
  /** Ids to search among, the others left out (a digest asks which of the day's papers are on its topics). */
  only?: Iterable<string>;
}

export interface SearchHit {
  paper: Paper;
  score: number;
  /** The query terms (after expansion, as the user would read them) that matched this paper. */
  matched: string[];
  /** The abstract sentence that best matches the query (plain, untrusted text). */
  snippet: string;
}

export interface PaperIndex {
  readonly size: number;
  search(query: string, options?: SearchOptions): SearchHit[];
  /** Papers like this one, best first, itself excluded. */
  moreLike(id: string, options?: SearchOptions): SearchHit[];
  /** Close index terms for a query that matched nothing ("did you mean"). */
  suggest(query: string, limit?: number): string[];
  get(id: string): Paper | undefined;
  /** Whether a paper is indexed and passes the options' filters (limit aside), without reading the paper. */
  accepts(options: SearchOptions): (id: string) => boolean;
  /** Every indexed paper, read one at a time (a million of them do not fit the heap as objects). */
  all(): Iterable<Paper>;
  /** Adds new papers and replaces those whose id is already indexed, without a rebuild. */
  upsert(papers: Paper[]): void;
  /** Takes papers out of the index (unknown ids are ignored), without a rebuild. */
  remove(ids: Iterable<string>): void;
}
