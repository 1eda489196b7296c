import type Database from 'better-sqlite3';
import type { EmbeddingStore } from '../../search/embeddings.js';
import { fromBytes, toBytes } from '../vector-bytes.js';

export function sqliteEmbeddings(db: Database.Database, now: () => Date): EmbeddingStore {
  const load = db.prepare<[string], { paper_id: string; text_hash: string; vector: Buffer }>(
    'SELECT paper_id, text_hash, vector FROM paper_embeddings WHERE model = ?',
  );
  const save = db.prepare(
    `INSERT INTO paper_embeddings (model, paper_id, text_hash, vector, updated_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (model, paper_id) DO UPDATE SET text_hash = excluded.text_hash, vector = excluded.vector, updated_at = excluded.updated_at`,
  );
  return {
    async loadEmbeddings(model) {
      return load.all(model).map((row) => ({ paperId: row.paper_id, textHash: row.text_hash, vector: fromBytes(row.vector) }));
    },
    async saveEmbeddings(model, rows) {
      const at = now().toISOString();
      db.transaction(() => {
        for (const row of rows) save.run(model, row.paperId, row.textHash, toBytes(row.vector), at);
      })();
    },
  };
}
