import { join } from 'node:path';
import { projectRoot } from '../paths.js';
import { openSqliteStore } from './sqlite.js';
import type { Store } from './store.js';

export const DB_ENV = 'PAPERBOY_DB';
export const DEFAULT_DB = join(projectRoot, 'data', 'paperboy.db');

/** The store the app runs on: the SQLite file at $PAPERBOY_DB, else data/paperboy.db. */
export function openStore(env: NodeJS.ProcessEnv = process.env): Store {
  return openSqliteStore(env[DB_ENV] || DEFAULT_DB);
}
