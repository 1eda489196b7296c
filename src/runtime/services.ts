import { createAnswerer } from '../answer/index.js';
import type { Settings } from '../config.js';
import type { LlmConfig } from '../answer/config.js';
import type { Logger } from '../lib/logger.js';
import type { Answerer } from '../answer/types.js';
import { createReranker, type Reranker } from '../answer/rerank.js';
import { loadLibrary, seedTrending, type Library } from '../papers/library.js';
import { indexPersister, openIndexFrom } from '../search/persisted-index.js';
import { startSemanticSearch } from '../search/semantic-start.js';
import type { SemanticSearch } from '../search/semantic.js';
import type { PaperIndex } from '../search/types.js';
import { indexFileFor, openStore, type AppStore } from '../store/open.js';

/** What the app, the refresh and the digests share: built once per process. */
export interface Services {
  store: AppStore;
  library: Library;
  index: PaperIndex;
  /** Where the store's change feed stood before the library was read (unset when a corpus file is searched). */
  feedCursor?: string;
  /** Saves the index a while after papers arrive (unset on SQLite when PAPERBOY_INDEX_FILE is off). */
  persister?: { changed(): void; stop(): void; saved(): Promise<void> };
  /** Set when OPENAI_EMBEDDINGS_MODEL is: papers are embedded in the background after start-up. */
  semantic?: SemanticSearch;
  answerer: Answerer;
  /** Set when PAPERBOY_RERANK=on and an LLM is configured. */
  reranker?: Reranker;
}

/**
 * Opens the store (Postgres when DATABASE_URL is set, else SQLite), indexes the seed corpus plus every
 * ingested paper, and on a fresh install gives the digest the seed's trending day.
 */
export async function openServices(settings: Settings, llm: LlmConfig | undefined, logger: Logger): Promise<Services> {
  const store = await openStore(settings);
  try {
    // Taken before the papers are read, so a paper stored meanwhile is fed, never missed.
    const feedCursor = await store.changeCursor();
    const library = await loadLibrary(undefined, settings, async () => store);
    // Each bad record by file:line, as the CLI reports them (the first 20; the count says how many in all).
    for (const issue of library.issues.slice(0, 20))
      logger.warn('corpus record skipped', { where: `${issue.file}:${issue.line}`, reason: issue.message });
    if (library.issues.length) logger.warn('corpus records skipped', { file: library.file, skipped: library.issues.length });
    await seedTrending(store, library.papers);
    const places = { file: indexFileFor(settings), shared: store.sharedIndex };
    const opened = await openIndexFrom(library.papers, places, logger);
    const index = opened.index;
    const persister = places.file || places.shared ? indexPersister(index, places, logger) : undefined;
    if (opened.how === 'built') persister?.saveSoon();
    else if (opened.added) persister?.changed();
    const answerer = createAnswerer({ ...(llm ? { config: llm } : {}), cache: store, logger });
    const reranker = createReranker(llm, logger);
    if (settings.PAPERBOY_RERANK === 'on' && !reranker)
      logger.warn('PAPERBOY_RERANK=on does nothing without an LLM (OPENAI_API_KEY or OPENAI_BASE_URL)');
    const semantic = startSemanticSearch(settings, library.papers, store, logger);
    return {
      store,
      library,
      index,
      ...(settings.PAPERBOY_CORPUS ? {} : { feedCursor }),
      ...(persister ? { persister } : {}),
      ...(semantic ? { semantic } : {}),
      answerer,
      ...(reranker ? { reranker } : {}),
    };
  } catch (error) {
    await store.close();
    throw error;
  }
}
