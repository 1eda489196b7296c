import type pg from 'pg';
import type { SharedIndexStore } from '../../search/shared-snapshot.js';
import { inTransaction } from './db.js';

/** A value stays well under Postgres's 1 GB bytea limit and a query's memory; a million papers is ~50 chunks. */
const CHUNK_BYTES = 16 * 2 ** 20;

/** The snapshot in chunks, replaced in one transaction; a reader sees one snapshot whole (repeatable read). */
export function postgresIndexSnapshots(pool: pg.Pool, now: () => Date): SharedIndexStore {
  return {
    async latestIndexSnapshot() {
      const client = await pool.connect();
      try {
        await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
        const { rows } = await client.query<{ id: string; size: string; saved_at: Date }>(
          'SELECT id, size, saved_at FROM index_snapshots ORDER BY id DESC LIMIT 1',
        );
        const latest = rows[0];
        if (!latest) return undefined;
        const chunks = await client.query<{ bytes: Buffer }>(
          'SELECT bytes FROM index_snapshot_chunks WHERE snapshot_id = $1 ORDER BY seq',
          [latest.id],
        );
        const bytes = Buffer.concat(chunks.rows.map((row) => row.bytes));
        if (bytes.byteLength !== Number(latest.size)) throw new Error(`shared index snapshot ${latest.id} is incomplete`);
        return { bytes, savedAt: latest.saved_at };
      } finally {
        await client.query('COMMIT').catch(() => undefined);
        client.release();
      }
    },

    async indexSnapshotSavedAt() {
      const { rows } = await pool.query<{ saved_at: Date }>('SELECT saved_at FROM index_snapshots ORDER BY id DESC LIMIT 1');
      return rows[0]?.saved_at;
    },

    async saveIndexSnapshot(bytes) {
      await inTransaction(pool, async (client) => {
        const { rows } = await client.query<{ id: string }>('INSERT INTO index_snapshots (size, saved_at) VALUES ($1, $2) RETURNING id', [
          bytes.byteLength,
          now(),
        ]);
        const id = rows[0]!.id;
        for (let offset = 0, seq = 0; offset < bytes.byteLength; offset += CHUNK_BYTES, seq++) {
          await client.query('INSERT INTO index_snapshot_chunks (snapshot_id, seq, bytes) VALUES ($1, $2, $3)', [
            id,
            seq,
            Buffer.from(bytes.buffer, bytes.byteOffset + offset, Math.min(CHUNK_BYTES, bytes.byteLength - offset)),
          ]);
        }
        // Older snapshots go with their chunks (ON DELETE CASCADE); a reader already in one keeps its view.
        await client.query('DELETE FROM index_snapshots WHERE id < $1', [id]);
      });
    },
  };
}
