import { postgresBaseStore } from './postgres/base-store.js';
import { createPool } from './postgres/db.js';
import { postgresDigestStore } from './postgres/digests.js';
import { postgresFeedbackStore } from './postgres/feedback.js';
import { postgresEmbeddings } from './postgres/embeddings.js';
import { postgresIndexSnapshots } from './postgres/index-snapshots.js';
import { postgresInstallations } from './postgres/installations.js';
import { migrate } from './postgres/migrations.js';
import { postgresPaperStore } from './postgres/papers.js';
import type { AppStore } from './store.js';

export { POSTGRES_MIGRATIONS } from './postgres/migrations.js';

export interface PostgresStoreOptions {
  /** The clock: timestamps, leases and event expiry use it, never the database's. */
  now?: () => Date;
  /** Keep the tables in this schema (created if missing) instead of the connection's default. */
  schema?: string;
  /** Connections in the pool; 10 by default. */
  poolSize?: number;
}

export type PostgresStore = AppStore;

/** Connects to `url` (postgres://user:password@host:port/database) and brings the schema up to date. */
export async function openPostgresStore(url: string, options: PostgresStoreOptions = {}): Promise<PostgresStore> {
  const now = options.now ?? (() => new Date());
  const pool = createPool(url, options);
  try {
    await migrate(pool, options.schema);
  } catch (error) {
    await pool.end();
    throw error;
  }
  let closed: Promise<void> | undefined;
  return {
    ...postgresBaseStore(pool, now),
    ...postgresPaperStore(pool, now),
    ...postgresDigestStore(pool, now),
    ...postgresInstallations(pool, now),
    ...postgresFeedbackStore(pool, now),
    ...postgresEmbeddings(pool, now),
    sharedIndex: postgresIndexSnapshots(pool, now),
    close: () => (closed ??= pool.end()),
  };
}
