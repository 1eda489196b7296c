import { loadLibrary, type Library } from '../papers/library.js';
import { buildIndex } from '../search/index.js';
import type { PaperIndex } from '../search/types.js';
import type { AppStore } from '../store/open.js';
import type { CliIo } from './io.js';

/** The index over --corpus, $PAPERBOY_CORPUS, or the seed plus the store; skipped records reported. */
export async function openIndex(corpusFlag: string | undefined, io: CliIo, store: () => Promise<AppStore>): Promise<PaperIndex> {
  const library = await loadLibrary(corpusFlag, io.settings, store);
  reportSkipped(library, io);
  return buildIndex(library.papers);
}

function reportSkipped(library: Library, io: CliIo): void {
  const shown = library.issues.slice(0, 10);
  for (const issue of shown) io.err(`${issue.file}:${issue.line}: skipped: ${issue.message}`);
  const more = library.issues.length - shown.length;
  if (more > 0) io.err(`... and ${more} more skipped records`);
}

export function noMatch(query: string, index: PaperIndex, io: CliIo): number {
  const close = index.suggest(query, 5);
  io.err(`No paper matches "${query}".` + (close.length ? ` Close terms in the corpus: ${close.join(', ')}.` : ''));
  return 1;
}
