import type { Logger } from '../lib/logger.js';
import type { Paper } from '../papers/paper.js';
import { embedPapers, type EmbedReport, type Embedder, type EmbeddingStore, type StoredEmbedding } from './embeddings.js';

/**
 * The dense side of the search: every paper's vector (unit length) in memory, and the query's
 * vector from the embeddings server with a deadline. Exact nearest neighbours by dot product: at
 * 100k papers of 1,536 dimensions that is ~150M multiply-adds per query, tens of milliseconds, small
 * next to the query embedding's own round trip; an approximate index is not worth its weight yet.
 */
export class SemanticSearch {
  private readonly vectors = new Map<string, Float32Array>();
  private warned = false;

  constructor(
    private readonly embedder: Embedder,
    private readonly store: EmbeddingStore,
    private readonly logger: Logger,
  ) {}

  get model(): string {
    return this.embedder.model;
  }

  /** Papers that have a vector. */
  get size(): number {
    return this.vectors.size;
  }

  /** Loads stored vectors and embeds the papers that have none (or whose text changed). */
  async addPapers(papers: Iterable<Paper>): Promise<EmbedReport> {
    return embedPapers(papers, { embedder: this.embedder, store: this.store, logger: this.logger }, (rows) => this.take(rows));
  }

  /**
   * The query's vector, or undefined when the server fails or misses the deadline: the caller then
   * searches lexically. The first such failure is logged at warn, later ones at debug.
   */
  async embedQuery(query: string): Promise<Float32Array | undefined> {
    const deadline = AbortSignal.timeout(this.embedder.config.queryTimeoutMs);
    try {
      // No retries: the person is waiting, and the lexical answer is ready.
      const [vector] = await this.embedder.embed([query], {
        signal: deadline,
        timeoutMs: this.embedder.config.queryTimeoutMs,
        maxRetries: 0,
      });
      return normalized(vector!);
    } catch (error) {
      const fields = { model: this.model, error: deadline.aborted ? 'timed out' : (error as Error).message };
      if (this.warned) this.logger.debug('query embedding failed; lexical search only', fields);
      else this.logger.warn('query embedding failed; lexical search only (further failures at debug)', fields);
      this.warned = true;
      return undefined;
    }
  }

  /** Paper ids by similarity to `query`, best first, only those `accept` lets through. */
  nearest(query: Float32Array, limit: number, accept: (id: string) => boolean): string[] {
    const scored: Array<{ id: string; score: number }> = [];
    for (const [id, vector] of this.vectors) {
      if (vector.length !== query.length || !accept(id)) continue;
      let dot = 0;
      for (let i = 0; i < vector.length; i++) dot += vector[i]! * query[i]!;
      scored.push({ id, score: dot });
    }
    scored.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1));
    return scored.slice(0, limit).map((entry) => entry.id);
  }

  private take(rows: StoredEmbedding[]): void {
    for (const row of rows) this.vectors.set(row.paperId, normalized(row.vector));
  }
}

function normalized(vector: Float32Array): Float32Array {
  let norm = 0;
  for (const x of vector) norm += x * x;
  norm = Math.sqrt(norm);
  return norm > 0 ? vector.map((x) => x / norm) : vector;
}
