import { searchPapers } from '../../search/hybrid.js';
import { noMatch, openIndex, openSearch, suggestCloseTerms } from '../corpus-index.js';
import { searchOptions, UsageError, validQuery, type Flags } from '../flags.js';
import { EXIT, type CliIo } from '../io.js';
import type { AppStore } from '../../store/open.js';
import { readQueriesFile } from '../queries-file.js';
import { formatHits } from '../terminal.js';

export async function search(raw: string, flags: Flags, io: CliIo, store: () => Promise<AppStore>): Promise<number> {
  const query = validQuery(raw);
  const { index, semantic } = await openSearch(flags.corpus, io, store);
  const options = searchOptions(flags);
  const hits = await searchPapers(query, { index, semantic }, options);
  if (flags.json) {
    const rows = hits.map((h) => ({ id: h.paper.id, title: h.paper.title, score: h.score, snippet: h.snippet, matched: h.matched }));
    io.out(JSON.stringify(rows));
    return hits.length ? EXIT.ok : noMatch(query, index, io, options);
  }
  if (!hits.length) return noMatch(query, index, io, options);
  suggestCloseTerms(query, index, io);
  io.out(formatHits(hits));
  return EXIT.ok;
}

/** One JSON line per query, {"query_id","hits":[{"id","score"}]}, as evaluation tools read them. */
export async function batchSearch(flags: Flags, io: CliIo, store: () => Promise<AppStore>): Promise<number> {
  if (!flags.json) throw new UsageError('batch search (--queries) writes JSON Lines: add --json');
  let queries: ReturnType<typeof readQueriesFile>;
  try {
    queries = readQueriesFile(flags.queries!);
  } catch (error) {
    throw new UsageError((error as Error).message.replace(/^ENOENT: /, 'cannot read queries: '));
  }
  const index = await openIndex(flags.corpus, io, store);
  const options = searchOptions(flags);
  const lines = queries.map(({ id, text }) => {
    const hits = index.search(text, options).map((h) => ({ id: h.paper.id, score: h.score }));
    return JSON.stringify({ query_id: id, hits });
  });
  io.out(lines.join('\n'));
  return EXIT.ok;
}
