import { join } from 'node:path';
import { projectRoot } from '../paths.js';
import type { Settings } from '../config.js';
import type { AppStore } from './store.js';

/** The settings that choose and place the database. */
export type StoreSettings = Partial<Pick<Settings, 'DATABASE_URL' | 'PAPERBOY_DB' | 'PAPERBOY_DB_SCHEMA'>>;

/**
 * Where the search index is saved between starts: PAPERBOY_INDEX_FILE ("off": nowhere), else next to
 * the SQLite file; on Postgres each replica names its own local file (unset: rebuilt at each start).
 */
export function indexFileFor(env: StoreSettings & Partial<Pick<Settings, 'PAPERBOY_INDEX_FILE'>>): string | undefined {
  if (env.PAPERBOY_INDEX_FILE) return env.PAPERBOY_INDEX_FILE.toLowerCase() === 'off' ? undefined : env.PAPERBOY_INDEX_FILE;
  if (env.DATABASE_URL) return undefined;
  return `${env[DB_ENV] || DEFAULT_DB}.index`;
}

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
    try {
      return await openPostgresStore(env.DATABASE_URL, env[DB_SCHEMA_ENV] ? { schema: env[DB_SCHEMA_ENV] } : {});
    } catch (error) {
      throw new StoreOpenError(`DATABASE_URL: ${postgresProblem(error, env.DATABASE_URL)}`);
    }
  }
  const file = env[DB_ENV] || DEFAULT_DB;
  const { openSqliteStore } = await import('./sqlite.js');
  try {
    return openSqliteStore(file);
  } catch (error) {
    throw new StoreOpenError(`${env[DB_ENV] ? DB_ENV : 'the SQLite file'} ${file}: ${(error as Error).message}`);
  }
}

/** The store could not be opened; the message names the setting or file at fault, and never a password. */
export class StoreOpenError extends Error {
  override name = 'StoreOpenError';
}

function postgresProblem(error: unknown, url: string): string {
  const { code, message } = error as NodeJS.ErrnoException;
  let where = 'the server';
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') return 'expected postgres://user:password@host:port/database';
    where = `${parsed.hostname}:${parsed.port || 5432}`;
  } catch {
    return 'not a valid URL; expected postgres://user:password@host:port/database';
  }
  if (code === 'ECONNREFUSED') return `nothing accepts connections at ${where} (ECONNREFUSED): is PostgreSQL running?`;
  if (code === 'ENOTFOUND') return `no such host in ${where} (ENOTFOUND)`;
  // pg's own messages ("password authentication failed for user ...") name no secret.
  return `cannot open the database at ${where}: ${message.replaceAll(url, '<DATABASE_URL>')}`;
}
