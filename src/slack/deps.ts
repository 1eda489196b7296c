import type { Answerer } from '../answer/types.js';
import type { Logger } from '../lib/logger.js';
import type { Reranker } from '../answer/rerank.js';
import type { SemanticSearch } from '../search/semantic.js';
import type { PaperIndex } from '../search/types.js';
import type { AppStore } from '../store/open.js';

export interface Timing {
  /** Least time between two edits of a message while its answer streams in. */
  updateIntervalMs: number;
  /** How long an answer may take before the message is finished without it. */
  answerTimeoutMs: number;
}

export const DEFAULT_TIMING: Timing = { updateIntervalMs: 1000, answerTimeoutMs: 45_000 };

/** What the listeners work with. */
export interface AppDeps {
  index: PaperIndex;
  /** The dense side of the search, when OPENAI_EMBEDDINGS_MODEL is set. */
  semantic?: SemanticSearch;
  answerer: Answerer;
  /** Orders a topic's top candidates by LLM, when PAPERBOY_RERANK=on. */
  reranker?: Reranker;
  store: AppStore;
  logger: Logger;
  timing: Timing;
  /** How fresh the corpus is, in plain words (e.g. "Papers up to 2025-03-28, updated 2 hours ago"); shown on the Home tab. */
  freshness?: () => string | undefined;
}
