import { join } from 'node:path';
import { projectRoot } from '../paths.js';
import type { Settings } from '../config.js';
import type { AppStore } from './store.js';

/** The settings that choose and place the database. */
export type StoreSettings = Partial<Pick<Settings, 'DATABASE_URL' | 'PAPERBOY_DB' | 'PAPERBOY_DB_SCHEMA'>>;

export type { AppStore } from './store.js';

export const DB_ENV = 'PAPERBOY_DB';
export const DEFAULT_DB = join(projectRoot, 'data', 'paperboy.db');
/** Postgres only: keep the tables in this schema (e.g. one per deployment sharing a database). */
export const DB_SCHEMA_ENV = 'PAPERBOY_DB_SCHEMA';

/**
 * Postgres when DATABASE_URL is set (several replicas, many workspaces; tables in
 * $PAPERBOY_DB_SCHEMA when set), else the embedded SQLite file at $PAPERBOY_DB or data/paperboy.db.
 * Each backend is imported only when chosen: a Postgres deployment never loads SQLite's native addon.
 */
export async function openStore(env: StoreSettings): Promise<AppStore> {
  if (env.DATABASE_URL) {
    const { openPostgresStore } = await import('./postgres.js');
    return openPostgresStore(env.DATABASE_URL, env[DB_SCHEMA_ENV] ? { schema: env[DB_SCHEMA_ENV] } : {});
  }
  const { openSqliteStore } = await import('./sqlite.js');
  return openSqliteStore(env[DB_ENV] || DEFAULT_DB);
}
