import { CorpusError } from '../papers/corpus.js';
import { ask } from './commands/ask.js';
import { ingest } from './commands/ingest.js';
import { batchSearch, search } from './commands/search.js';
import { isParseArgsError, parseCommandLine, UsageError } from './flags.js';
import { EXIT, type CliIo } from './io.js';
import type { AppStore } from '../store/open.js';

export const USAGE = `Usage:
  paperboy ask <topic> [--limit N] [--corpus FILE] [--json]
      The answer /papers gives in Slack: the top papers with a synthesis and one-line summaries.
  paperboy search <query> [--limit N] [--corpus FILE] [--json] [--no-prior]
                          [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--min-upvotes N]
      Ranked hits, with why each matched. --from/--to bound the day a paper trended on Hugging Face
      Daily Papers (for a paper that never trended, its publishedAt); undated papers are left out.
  paperboy search --queries FILE [--limit N] [--corpus FILE] --json
      Batch search: JSON Lines of {"_id","text"} or {"id","query"} in, one JSON line per query out.
  paperboy ingest [--date YYYY-MM-DD | --since YYYY-MM-DD] [--source hf|arxiv]
      Fetch each source in $PAPERBOY_SOURCES (today's papers by default) into the store: hf = Hugging
      Face Daily Papers ($HF_ENDPOINT, $HF_TOKEN), arxiv = new arXiv submissions in $ARXIV_CATEGORIES.
      --since backfills every day to today, skipping days already ingested: rerun it to resume.
  paperboy import arxiv-snapshot FILE [--categories cs.CL,cs.LG|cs.*]
      Stream the public arXiv metadata snapshot (JSON Lines, e.g. Kaggle's arxiv-metadata-oai-snapshot.json)
      into the store; bad lines are skipped and counted. Rerun the same command to resume after a stop.
  paperboy digest [--date YYYY-MM-DD] [--channel C|#name] --dry-run
      What each channel subscribed for that day (today by default) would get: titles, TL;DRs, why picked.
  paperboy digest [--date YYYY-MM-DD] [--channel C] --post
      Post those digests now, each exactly once however many processes run ($SLACK_BOT_TOKEN, or
      each workspace's OAuth installation in the store when $SLACK_CLIENT_ID is set).
  paperboy library --channel C [--team T] [--bibtex]
      The channel's reading list (the papers it 👍'd), or it as BibTeX for a reference manager.

The corpus is --corpus FILE, else $PAPERBOY_CORPUS, else the embedded seed corpus (data/papers.jsonl)
plus the papers ingested into the store. A corpus file is JSON Lines, one paper a line with at least
id, title, abstract (BEIR's _id, title, text accepted).`;

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  let opened: Promise<AppStore> | undefined;
  const store = () => (opened ??= io.store());
  try {
    const { flags, positionals } = parseCommandLine(argv);
    const [command, ...words] = positionals;
    if (flags.help || !command || command === 'help') {
      io.out(USAGE);
      return command || flags.help ? EXIT.ok : EXIT.usage;
    }
    switch (command) {
      case 'search':
        return await (flags.queries ? batchSearch(flags, io, store) : search(words.join(' '), flags, io, store));
      case 'ask':
        return await ask(words.join(' '), flags, io, store);
      case 'ingest':
        return await ingest(flags, io, store);
      case 'import':
        return await (await import('./commands/import.js')).importCommand(words, flags, io, store);
      case 'digest':
        // Loaded on demand: it brings in Slack's client, which the other commands do not need.
        return await (await import('./commands/digest.js')).digest(flags, io, store);
      case 'library':
        return await (await import('./commands/library.js')).library(flags, io, store);
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (error) {
    // By name: the store's module is loaded only by the commands that open it.
    const storeError = (error as Error | undefined)?.name === 'StoreOpenError';
    if (error instanceof UsageError || error instanceof CorpusError || storeError || isParseArgsError(error)) {
      io.err(`paperboy: ${(error as Error).message}`);
      if (!(error instanceof CorpusError || storeError)) io.err(`Run "paperboy help" for usage.`);
      return EXIT.usage;
    }
    throw error;
  } finally {
    if (opened) await (await opened).close();
  }
}
