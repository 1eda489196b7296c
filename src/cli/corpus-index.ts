import { loadLibrary, type Library } from '../papers/library.js';
import { buildIndex } from '../search/index.js';
import { createSemanticSearch } from '../search/semantic-start.js';
import type { SemanticSearch } from '../search/semantic.js';
import type { PaperIndex, SearchOptions } from '../search/types.js';
import type { AppStore } from '../store/open.js';
import { describeFilters } from './flags.js';
import { terminalLogger, type CliIo } from './io.js';

/** The index over --corpus, $PAPERBOY_CORPUS, or the seed plus the store; skipped records reported. */
export async function openIndex(corpusFlag: string | undefined, io: CliIo, store: () => Promise<AppStore>): Promise<PaperIndex> {
  const library = await loadLibrary(corpusFlag, io.settings, store);
  reportSkipped(library, io);
  return buildIndex(library.papers);
}

/**
 * The index and, when OPENAI_EMBEDDINGS_MODEL is set, the dense side: papers without a stored vector
 * are embedded first (once; later runs reuse them). If that fails the search is lexical, said on stderr.
 */
export async function openSearch(
  corpusFlag: string | undefined,
  io: CliIo,
  store: () => Promise<AppStore>,
): Promise<{ index: PaperIndex; semantic?: SemanticSearch }> {
  const library = await loadLibrary(corpusFlag, io.settings, store);
  reportSkipped(library, io);
  const index = buildIndex(library.papers);
  if (!io.settings.OPENAI_EMBEDDINGS_MODEL) return { index };
  const semantic = createSemanticSearch(io.settings, await store(), terminalLogger(io))!;
  try {
    await semantic.addPapers(library.papers);
  } catch (error) {
    io.err(`Embedding the papers failed (${(error as Error).message}); searching by words only.`);
    return { index };
  }
  return { index, semantic };
}

function reportSkipped(library: Library, io: CliIo): void {
  const shown = library.issues.slice(0, 10);
  for (const issue of shown) io.err(`${issue.file}:${issue.line}: skipped: ${issue.message}`);
  const more = library.issues.length - shown.length;
  if (more > 0) io.err(`... and ${more} more skipped records`);
}

/**
 * Nothing to show: because the filters removed every hit (said so, with how many match without
 * them), or because nothing matches (close terms suggested when a word is in no paper).
 */
export function noMatch(query: string, index: PaperIndex, io: CliIo, options: SearchOptions = {}): number {
  const filters = describeFilters(options);
  const unfiltered = filters ? index.search(query, { limit: 100, prior: false }).length : 0;
  if (filters && unfiltered > 0) {
    const count = unfiltered >= 100 ? '100 or more papers match' : `${unfiltered} ${unfiltered === 1 ? 'paper matches' : 'papers match'}`;
    io.err(`${count} "${query}", but none ${filters}: the filters removed every hit. Widen or drop them.`);
    return 1;
  }
  const close = index.suggest(query, 5);
  io.err(`No paper matches "${query}".` + (close.length ? ` Close terms in the corpus: ${close.join(', ')}.` : ''));
  return 1;
}

/** A query word no paper contains was searched for something close: say which, so a typo is seen. */
export function suggestCloseTerms(query: string, index: PaperIndex, io: CliIo): void {
  const close = index.suggest(query, 5);
  if (close.length) io.err(`Some words of "${query}" are in no paper; close terms in the corpus: ${close.join(', ')}.`);
}
