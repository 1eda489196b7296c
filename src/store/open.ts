import { join } from 'node:path';
import { projectRoot } from '../paths.js';
import type { DigestStore, InstallationRecords, PaperStore } from './digest-store.js';
import { openSqliteStore } from './sqlite.js';
import type { Store } from './store.js';
import type { FeedbackStore } from './feedback-store.js';

/** Everything the app keeps, whichever database holds it. */
export interface AppStore extends Store, PaperStore, DigestStore, InstallationRecords, FeedbackStore {}

export const DB_ENV = 'PAPERBOY_DB';
export const DEFAULT_DB = join(projectRoot, 'data', 'paperboy.db');
/** Postgres only: keep the tables in this schema (e.g. one per deployment sharing a database). */
export const DB_SCHEMA_ENV = 'PAPERBOY_DB_SCHEMA';

/**
 * Postgres when DATABASE_URL is set (several replicas, many workspaces; tables in
 * $PAPERBOY_DB_SCHEMA when set), else the embedded SQLite file at $PAPERBOY_DB or data/paperboy.db.
 */
export async function openStore(env: NodeJS.ProcessEnv = process.env): Promise<AppStore> {
  if (env.DATABASE_URL) {
    const { openPostgresStore } = await import('./postgres.js');
    return openPostgresStore(env.DATABASE_URL, env[DB_SCHEMA_ENV] ? { schema: env[DB_SCHEMA_ENV] } : {});
  }
  return openSqliteStore(env[DB_ENV] || DEFAULT_DB);
}
