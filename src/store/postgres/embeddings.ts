import type pg from 'pg';
import type { EmbeddingStore } from '../../search/embeddings.js';
import { fromBytes, toBytes } from '../vector-bytes.js';

// Rows in paper id order, so concurrent saves of overlapping batches (two replicas starting) wait rather than deadlock.
const UPSERT = `
  INSERT INTO paper_embeddings (model, paper_id, text_hash, vector, updated_at)
  SELECT $1, paper_id, text_hash, vector, $5::timestamptz FROM unnest($2::text[], $3::text[], $4::bytea[]) AS batch (paper_id, text_hash, vector)
  ORDER BY paper_id
  ON CONFLICT (model, paper_id) DO UPDATE SET text_hash = excluded.text_hash, vector = excluded.vector, updated_at = excluded.updated_at`;

export function postgresEmbeddings(pool: pg.Pool, now: () => Date): EmbeddingStore {
  return {
    async loadEmbeddings(model) {
      const { rows } = await pool.query<{ paper_id: string; text_hash: string; vector: Buffer }>(
        'SELECT paper_id, text_hash, vector FROM paper_embeddings WHERE model = $1',
        [model],
      );
      return rows.map((row) => ({ paperId: row.paper_id, textHash: row.text_hash, vector: fromBytes(row.vector) }));
    },
    async saveEmbeddings(model, rows) {
      const unique = [...new Map(rows.map((row) => [row.paperId, row])).values()];
      if (unique.length === 0) return;
      await pool.query(UPSERT, [
        model,
        unique.map((row) => row.paperId),
        unique.map((row) => row.textHash),
        unique.map((row) => toBytes(row.vector)),
        now(),
      ]);
    },
  };
}
