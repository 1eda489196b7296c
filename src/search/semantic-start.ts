import type { Logger } from '../lib/logger.js';
import type { Paper } from '../papers/paper.js';
import { Embedder, type EmbeddingStore } from './embeddings.js';
import { loadEmbeddingsConfig } from './embeddings-config.js';
import { SemanticSearch } from './semantic.js';

type Vars = Parameters<typeof loadEmbeddingsConfig>[0];

/**
 * Semantic retrieval for a long-running process, or undefined when no embeddings model is set.
 * Papers are embedded in the background (start-up does not wait): until a paper has its vector the
 * dense side just does not rank it. A failed run is logged and resumes at the next start.
 */
export function startSemanticSearch(
  vars: Vars,
  papers: () => Iterable<Paper>,
  store: EmbeddingStore,
  logger: Logger,
): SemanticSearch | undefined {
  const semantic = createSemanticSearch(vars, store, logger);
  if (!semantic) return undefined;
  semantic.addPapers(papers()).then(
    (report) => logger.info('papers embedded for semantic search', { model: semantic.model, ...report }),
    (error: Error) =>
      logger.warn('embedding papers failed; semantic search covers those embedded so far', { model: semantic.model, error: error.message }),
  );
  return semantic;
}

export function createSemanticSearch(vars: Vars, store: EmbeddingStore, logger: Logger): SemanticSearch | undefined {
  const config = loadEmbeddingsConfig(vars);
  return config ? new SemanticSearch(new Embedder(config), store, logger) : undefined;
}
