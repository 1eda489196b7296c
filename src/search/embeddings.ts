import { createHash } from 'node:crypto';
import OpenAI from 'openai';
import type { Logger } from '../lib/logger.js';
import type { Paper } from '../papers/paper.js';
import type { EmbeddingsConfig } from './embeddings-config.js';

/** One paper's vector for one model, and the hash of the text it was made from. */
export interface StoredEmbedding {
  paperId: string;
  textHash: string;
  vector: Float32Array;
}

/**
 * Where paper vectors are kept (SQLite and Postgres both implement it): one row per (model, paper);
 * a paper whose text changed has a different hash and is embedded again, replacing its row.
 */
export interface EmbeddingStore {
  loadEmbeddings(model: string): Promise<StoredEmbedding[]>;
  saveEmbeddings(model: string, rows: StoredEmbedding[]): Promise<void>;
}

/** Texts per /embeddings request: well under OpenAI's 2048 inputs and most local servers' batch limits. */
export const EMBED_BATCH_SIZE = 64;
/** Characters of a paper that are embedded: title and abstract, cut to fit small models' context (~2k tokens). */
const MAX_EMBEDDED_CHARS = 8_000;
/** How long embedding one batch of papers may take, retries included (start-up waits for none of it). */
const BATCH_TIMEOUT_MS = 120_000;

/** The text a paper is embedded from. */
export function paperText(paper: Paper): string {
  return `${paper.title}\n\n${paper.abstract}`.slice(0, MAX_EMBEDDED_CHARS);
}

export function textHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 32);
}

/**
 * An OpenAI-compatible /embeddings client through the official SDK (OpenAI, Ollama, vLLM, llama.cpp
 * serve the same request and response). Vectors come back as floats: the SDK would otherwise ask for
 * base64, which not every local server supports.
 */
export class Embedder {
  private readonly sdk: OpenAI;

  constructor(readonly config: EmbeddingsConfig) {
    this.sdk = new OpenAI({
      // Local servers take no key, but the SDK insists on one (and would otherwise read the env).
      apiKey: config.apiKey ?? 'no-key',
      ...(config.baseURL ? { baseURL: config.baseURL } : {}),
      timeout: BATCH_TIMEOUT_MS,
      maxRetries: 2,
    });
  }

  get model(): string {
    return this.config.model;
  }

  /** One vector per text, in the texts' order (the server's `index` says which is which). */
  async embed(texts: string[], options: { signal?: AbortSignal; timeoutMs?: number; maxRetries?: number } = {}): Promise<Float32Array[]> {
    const response = await this.sdk.embeddings.create(
      { model: this.config.model, input: texts, encoding_format: 'float' },
      {
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.timeoutMs !== undefined ? { timeout: options.timeoutMs } : {}),
        ...(options.maxRetries !== undefined ? { maxRetries: options.maxRetries } : {}),
      },
    );
    const vectors = new Array<Float32Array | undefined>(texts.length);
    for (const item of response.data) {
      if (Array.isArray(item.embedding) && item.index >= 0 && item.index < texts.length)
        vectors[item.index] = Float32Array.from(item.embedding);
    }
    if (vectors.some((vector) => vector === undefined || vector.length === 0)) {
      throw new Error(`the embeddings server answered ${response.data.length} vectors for ${texts.length} texts`);
    }
    return vectors as Float32Array[];
  }
}

export interface EmbedReport {
  /** Papers whose stored vector was current. */
  reused: number;
  embedded: number;
}

/**
 * Gives every paper a vector for the embedder's model: those stored with the same text hash are
 * loaded, the rest are embedded in batches and each batch stored as soon as it arrives, so an
 * interrupted run resumes where it stopped. `onVectors` receives every current vector.
 */
export async function embedPapers(
  papers: Iterable<Paper>,
  deps: { embedder: Embedder; store: EmbeddingStore; logger?: Logger },
  onVectors: (rows: StoredEmbedding[]) => void,
): Promise<EmbedReport> {
  const model = deps.embedder.model;
  const stored = new Map((await deps.store.loadEmbeddings(model)).map((row) => [row.paperId, row]));
  const current: StoredEmbedding[] = [];
  // Papers are read one at a time and only the missing ones' texts kept: at start-up they come from the
  // index, which holds them packed (a million papers as objects would not fit the heap).
  const missing: Array<{ id: string; text: string; hash: string }> = [];
  for (const paper of papers) {
    const text = paperText(paper);
    const hash = textHash(text);
    const row = stored.get(paper.id);
    if (row && row.textHash === hash) current.push(row);
    else missing.push({ id: paper.id, text, hash });
  }
  onVectors(current);
  for (let start = 0; start < missing.length; start += EMBED_BATCH_SIZE) {
    const batch = missing.slice(start, start + EMBED_BATCH_SIZE);
    const vectors = await deps.embedder.embed(batch.map((item) => item.text));
    const rows = batch.map((item, i) => ({ paperId: item.id, textHash: item.hash, vector: vectors[i]! }));
    await deps.store.saveEmbeddings(model, rows);
    onVectors(rows);
    deps.logger?.debug('papers embedded', { model, done: Math.min(start + EMBED_BATCH_SIZE, missing.length), of: missing.length });
  }
  return { reused: current.length, embedded: missing.length };
}
