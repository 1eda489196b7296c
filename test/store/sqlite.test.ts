import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../src/store/migrations.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import { EVENT_CLAIM_TTL_MS } from '../../src/store/store.js';
import { describeStoreContract } from './store-contract.js';

const dir = mkdtempSync(join(tmpdir(), 'paperboy-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let files = 0;
let currentFile = '';
describeStoreContract('SQLite', {
  open: async () => {
    currentFile = join(dir, `contract-${files++}.db`);
    return openSqliteStore(currentFile);
  },
  reopen: async () => openSqliteStore(currentFile),
});

describe('SQLite store', () => {
  it('creates the folder and file, in WAL mode, at the current schema version', async () => {
    const file = join(dir, 'nested', 'deeper', 'paperboy.db');
    const store = openSqliteStore(file);
    await store.close();
    const db = new Database(file, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    db.close();
  });

  it('refuses a database from a newer build', async () => {
    const file = join(dir, 'future.db');
    const db = new Database(file);
    db.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    db.close();
    expect(() => openSqliteStore(file)).toThrow(/newer than this build/);
  });

  it('forgets claimed events after a day, so the table does not grow forever', async () => {
    let now = new Date('2026-01-01T00:00:00Z');
    const store = openSqliteStore(join(dir, 'expiry.db'), { now: () => now });
    expect(await store.claimEvent('EvOld')).toBe(true);
    now = new Date(now.getTime() + EVENT_CLAIM_TTL_MS / 2);
    expect(await store.claimEvent('EvOld')).toBe(false);
    now = new Date(now.getTime() + EVENT_CLAIM_TTL_MS);
    expect(await store.claimEvent('EvOld')).toBe(true);
    await store.close();
  });
});
