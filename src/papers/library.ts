import type { PaperStore } from './paper-store.js';
import { CORPUS_ENV, loadCorpus, resolveCorpusPath, type Corpus } from './corpus.js';
import type { Paper } from './paper.js';
import { slugify } from './slug.js';

export interface Library extends Corpus {
  /** How many of the papers came from the store (ingested Daily Papers). */
  fromStore: number;
}

/**
 * The papers to search. A corpus named by --corpus or $PAPERBOY_CORPUS is used alone (an evaluation
 * must see exactly its file); otherwise the embedded seed plus every paper ingested into the store,
 * the stored copy winning.
 */
export async function loadLibrary(
  corpusFlag: string | undefined,
  env: { PAPERBOY_CORPUS?: string | undefined },
  store: () => Promise<Pick<PaperStore, 'allPapers'>>,
): Promise<Library> {
  const corpus = loadCorpus(resolveCorpusPath(corpusFlag, env));
  if (corpusFlag || env[CORPUS_ENV]) return { ...corpus, fromStore: 0 };
  const stored = await (await store()).allPapers();
  return { ...corpus, papers: withStored(corpus.papers, stored), fromStore: stored.length };
}

/**
 * The seed's papers and every stored one: a seed paper (known by title only) gives way to its
 * ingested copy, found by its title; stored papers are all kept, by id, whatever their titles.
 */
export function withStored(seed: Paper[], stored: Paper[]): Paper[] {
  const storedIds = new Set(stored.map((paper) => paper.id));
  const storedTitles = new Set(stored.map((paper) => slugify(paper.title)));
  return [...seed.filter((paper) => !storedIds.has(paper.id) && !storedTitles.has(slugify(paper.title))), ...stored];
}

/**
 * On a fresh install the store has no trending day, so the digest would have nothing to post:
 * give it the embedded corpus's trending papers (the seed's day).
 */
export async function seedTrending(store: PaperStore, papers: Paper[]): Promise<void> {
  if (await store.latestTrendingDate('9999-12-31')) return;
  const trending = papers.filter((paper) => paper.trending);
  if (trending.length) await store.upsertPapers(trending);
}
