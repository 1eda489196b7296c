import { createAnswerer } from '../answer/index.js';
import type { Settings } from '../config.js';
import type { LlmConfig } from '../answer/config.js';
import type { Logger } from '../lib/logger.js';
import type { Answerer } from '../answer/types.js';
import { createReranker, type Reranker } from '../answer/rerank.js';
import { loadCorpus, resolveCorpusPath } from '../papers/corpus.js';
import { seedTrending } from '../papers/library.js';
import type { Paper } from '../papers/paper.js';
import { indexPersister, openIndex, type OpenedIndex } from '../search/persisted-index.js';
import { startSemanticSearch } from '../search/semantic-start.js';
import type { SemanticSearch } from '../search/semantic.js';
import type { PaperIndex } from '../search/types.js';
import { indexFileFor, openStore, type AppStore } from '../store/open.js';
import { paperFeed, type PaperFeed } from './paper-feed.js';

/** The corpus file the index holds, and how many of its papers came from the store instead. */
export interface LibrarySummary {
  file: string;
  fromStore: number;
}

/** What the app, the refresh and the digests share: built once per process. */
export interface Services {
  store: AppStore;
  /** The corpus file searched (the seed unless PAPERBOY_CORPUS), and how many papers came from the store. */
  library: LibrarySummary;
  index: PaperIndex;
  /** How the index was opened: from this process's snapshot file, the replicas' shared one, or built. */
  indexOpened: OpenedIndex['how'];
  /** Takes in what other processes store (unset when a corpus file is searched alone). */
  feed?: PaperFeed;
  /** Saves the index a while after papers arrive (unset on SQLite when PAPERBOY_INDEX_FILE is off). */
  persister?: { changed(): void; stop(): void; saved(): Promise<void> };
  /** Set when OPENAI_EMBEDDINGS_MODEL is: papers are embedded in the background after start-up. */
  semantic?: SemanticSearch;
  answerer: Answerer;
  /** Set when PAPERBOY_RERANK=on and an LLM is configured. */
  reranker?: Reranker;
  /** Papers stored or fed into the index: saved with it (a while later) and, with semantic search, embedded. */
  indexed(papers: Paper[]): void;
}

/**
 * Opens the store (Postgres when DATABASE_URL is set, else SQLite) and the index over the seed corpus
 * plus every ingested paper (from a snapshot when there is one), and on a fresh install gives the
 * digest the seed's trending day.
 */
export async function openServices(settings: Settings, llm: LlmConfig | undefined, logger: Logger): Promise<Services> {
  const store = await openStore(settings);
  try {
    const corpus = loadCorpus(resolveCorpusPath(undefined, settings));
    // Each bad record by file:line, as the CLI reports them (the first 20; the count says how many in all).
    for (const issue of corpus.issues.slice(0, 20))
      logger.warn('corpus record skipped', { where: `${issue.file}:${issue.line}`, reason: issue.message });
    if (corpus.issues.length) logger.warn('corpus records skipped', { file: corpus.file, skipped: corpus.issues.length });
    await seedTrending(store, corpus.papers);
    const places = { file: indexFileFor(settings), shared: store.sharedIndex };
    const alone = Boolean(settings.PAPERBOY_CORPUS);
    const opened = await openIndex({ corpus, ...(alone ? {} : { store }) }, places, logger);
    const { index } = opened;
    const semantic = startSemanticSearch(settings, () => index.all(), store, logger);
    const embed = semantic ? embedInBackground(semantic, logger) : undefined;
    const indexed = (papers: Paper[]) => {
      persister?.changed();
      embed?.(papers);
    };
    const { cursor } = opened;
    const feed = cursor === undefined ? undefined : paperFeed({ store, index, cursor, logger, onIndexed: indexed });
    const origin = () => ({ corpus: opened.corpus, ...(feed ? { cursor: feed.cursor() } : {}) });
    const persister = places.file || places.shared ? indexPersister(index, places, logger, origin) : undefined;
    if (opened.how === 'built') persister?.saveSoon();
    else if (opened.added || opened.removed) persister?.changed();
    const answerer = createAnswerer({ ...(llm ? { config: llm } : {}), cache: store, logger });
    const reranker = createReranker(llm, logger);
    if (settings.PAPERBOY_RERANK === 'on' && !reranker)
      logger.warn('PAPERBOY_RERANK=on does nothing without an LLM (OPENAI_API_KEY or OPENAI_BASE_URL)');
    return {
      store,
      library: { file: corpus.file, fromStore: opened.fromStore },
      index,
      indexOpened: opened.how,
      ...(feed ? { feed } : {}),
      ...(persister ? { persister } : {}),
      ...(semantic ? { semantic } : {}),
      answerer,
      ...(reranker ? { reranker } : {}),
      indexed,
    };
  } catch (error) {
    await store.close();
    throw error;
  }
}

/** Papers the hourly refresh brings are embedded as they arrive; until then the dense side just does not rank them. */
function embedInBackground(semantic: SemanticSearch, logger: Logger): (papers: Paper[]) => void {
  return (papers) => {
    semantic.addPapers(papers).catch((error: Error) =>
      logger.warn('embedding new papers failed; they are found by words only until the next start', {
        model: semantic.model,
        error: error.message,
      }),
    );
  };
}
