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

    async saveIndexSnapshot(parts) {
      await inTransaction(pool, async (client) => {
        const { rows } = await client.query<{ id: string }>('INSERT INTO index_snapshots (size, saved_at) VALUES (0, $1) RETURNING id', [
          now(),
        ]);
        const id = rows[0]!.id;
        let seq = 0;
        let size = 0;
        for await (const chunk of rechunked(parts, CHUNK_BYTES)) {
          await client.query('INSERT INTO index_snapshot_chunks (snapshot_id, seq, bytes) VALUES ($1, $2, $3)', [id, seq++, chunk]);
          size += chunk.byteLength;
        }
        await client.query('UPDATE index_snapshots SET size = $2 WHERE id = $1', [id, size]);
        // Older snapshots go with their chunks (ON DELETE CASCADE); a reader already in one keeps its view.
        await client.query('DELETE FROM index_snapshots WHERE id < $1', [id]);
      });
    },
  };
}

/** The parts' bytes in buffers of `size` (the last shorter). */
async function* rechunked(parts: AsyncIterable<Uint8Array>, size: number): AsyncGenerator<Buffer> {
  let chunk = Buffer.allocUnsafe(size);
  let used = 0;
  for await (let part of parts) {
    while (part.byteLength > 0) {
      const taken = Math.min(part.byteLength, size - used);
      chunk.set(part.subarray(0, taken), used);
      used += taken;
      part = part.subarray(taken);
      if (used === size) {
        yield chunk;
        chunk = Buffer.allocUnsafe(size);
        used = 0;
      }
    }
  }
  if (used > 0) yield chunk.subarray(0, used);
}
