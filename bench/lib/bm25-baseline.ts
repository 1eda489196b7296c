import { getOrAdd } from '../../src/lib/get-or-add.js';
import { stemmer } from 'stemmer';
import type { Paper } from '../../src/papers/paper.js';
import { LUCENE_STOP_WORDS } from '../../src/search/stop-words.js';
import type { PaperIndex, SearchHit } from '../../src/search/types.js';

/**
 * A textbook Lucene-style BM25, standing in for Lucene/Anserini and bm25s (neither installs
 * here), written only for the benchmarks:
 * - one field, the title and abstract joined with a space (Anserini's BEIR "flat" index);
 * - analysis as Lucene's EnglishAnalyzer: words (letters and digits, kept whole across an
 *   apostrophe or a dot between word characters, as StandardTokenizer does), possessive "'s"
 *   dropped, lowercased, Lucene's 33 English stop words removed, Porter stemmer (the `stemmer`
 *   package, Porter 1980, as Lucene's PorterStemFilter);
 * - BM25 with k1 = 0.9, b = 0.4 (Anserini's defaults), idf = ln(1 + (N - df + 0.5) / (df + 0.5)),
 *   exact document lengths (Lucene stores them lossily in a byte; bm25s does not);
 * - the query is an OR of its terms, a repeated term counting once per occurrence (a Lucene
 *   BooleanQuery of SHOULD clauses).
 */
export function lucenelikeBm25(papers: Paper[], k1 = 0.9, b = 0.4): PaperIndex {
  const postings = new Map<string, { doc: number; tf: number }[]>();
  const lengths: number[] = [];
  papers.forEach((paper, doc) => {
    const terms = analyze(`${paper.title} ${paper.abstract}`);
    lengths.push(terms.length);
    const counts = new Map<string, number>();
    for (const term of terms) counts.set(term, (counts.get(term) ?? 0) + 1);
    for (const [term, tf] of counts) {
      getOrAdd(postings, term, () => []).push({ doc, tf });
    }
  });
  const average = lengths.reduce((sum, length) => sum + length, 0) / Math.max(1, lengths.length);
  const search = (query: string, options: { limit?: number } = {}): SearchHit[] => {
    const scores = new Map<number, number>();
    for (const term of analyze(query)) {
      const list = postings.get(term);
      if (!list) continue;
      const idf = Math.log(1 + (papers.length - list.length + 0.5) / (list.length + 0.5));
      for (const { doc, tf } of list) {
        const norm = tf + k1 * (1 - b + (b * lengths[doc]!) / average);
        scores.set(doc, (scores.get(doc) ?? 0) + (idf * tf * (k1 + 1)) / norm);
      }
    }
    return [...scores]
      .sort((x, y) => y[1] - x[1] || x[0] - y[0])
      .slice(0, options.limit ?? 10)
      .map(([doc, score]) => ({ paper: papers[doc]!, score, matched: [], snippet: '' }));
  };
  return searchOnly(papers, search);
}

/** A PaperIndex that can only search, for the baselines the benchmark compares against. */
export function searchOnly(papers: Paper[], search: PaperIndex['search']): PaperIndex {
  const byId = new Map(papers.map((paper) => [paper.id, paper]));
  const unsupported = () => {
    throw new Error('not supported by the baseline');
  };
  return {
    size: papers.length,
    search,
    moreLike: () => [],
    suggest: () => [],
    get: (id) => byId.get(id),
    all: () => papers,
    upsert: unsupported,
    remove: unsupported,
    accepts: unsupported,
  };
}

const WORD = /[\p{L}\p{N}]+(?:['’.][\p{L}\p{N}]+)*/gu;

function analyze(text: string): string[] {
  const terms: string[] = [];
  for (const [match] of text.matchAll(WORD)) {
    const word = match.toLowerCase().replace(/['’]s$/, '');
    if (LUCENE_STOP_WORDS.has(word)) continue;
    terms.push(stemmer(word));
  }
  return terms;
}
