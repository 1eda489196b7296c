import type { Token } from './analyzer.js';
import type { QueryPlan } from './query.js';
import type { Vocabulary } from './vocabulary.js';

// Measured on the seed judgments (each "about it" paper's co-relevant papers as targets):
// 6 to 30 terms, title words x1 to x4; 10 terms with title words counting double was best.
const SEED_TERMS = 10;
const TITLE_WEIGHT = 2;

export interface PaperTokens {
  title: Token[];
  abstract: Token[];
  keywords: Token[];
}

/**
 * A "more like this" query from a paper, as Lucene's MoreLikeThis builds one: the paper's
 * terms that other papers share, ranked by frequency in the paper (title and keyword words
 * count double) times idf; the top ones are searched with equal weight.
 */
export function similarPlan(paper: PaperTokens, vocabulary: Vocabulary): QueryPlan {
  const counts = new Map<string, { token: Token; count: number }>();
  const count = (tokens: Token[], weight: number) => {
    for (const token of tokens) {
      if (vocabulary.docFreq(token.term) < 2) continue;
      const entry = counts.get(token.term);
      if (entry) entry.count += weight;
      else counts.set(token.term, { token, count: weight });
    }
  };
  count(paper.title, TITLE_WEIGHT);
  count(paper.keywords, TITLE_WEIGHT);
  count(paper.abstract, 1);
  const terms = [...counts.values()]
    .map(({ token, count }) => ({ token, salience: count * vocabulary.idf(token.term) }))
    .sort((a, b) => b.salience - a.salience)
    .slice(0, SEED_TERMS)
    .map(({ token }) => ({ term: token.term, surface: token.surface, weight: 1 }));
  return { terms, expansions: [] };
}
