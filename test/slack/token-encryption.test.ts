import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import type { InstallationRecords } from '../../src/slack/installation-store.js';
import { openPostgresStore } from '../../src/store/postgres.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import { encrypt, withEncryptedInstallations, type TokenKeys } from '../../src/slack/token-encryption.js';

const url = process.env.PAPERBOY_TEST_DATABASE_URL;
const INSTALLATION = JSON.stringify({ team: { id: 'T1' }, bot: { token: 'xoxb-secret-bot-token' } });
const key = () => randomBytes(32);

type Opened = { store: InstallationRecords & { close(): Promise<void> }; cleanUp(): Promise<void> };

const backends: Array<[string, () => Promise<Opened>, boolean]> = [
  [
    'SQLite',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'paperboy-keys-'));
      const store = openSqliteStore(join(dir, 'paperboy.db'));
      return { store, cleanUp: async () => rmSync(dir, { recursive: true, force: true }) };
    },
    false,
  ],
  [
    'PostgreSQL',
    async () => {
      const schema = `paperboy_test_${randomBytes(6).toString('hex')}`;
      const store = await openPostgresStore(url!, { schema });
      return {
        store,
        cleanUp: async () => {
          const admin = new pg.Pool({ connectionString: url! });
          await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
          await admin.end();
        },
      };
    },
    !url,
  ],
];

describe.each(backends)('OAuth installations encrypted at rest (%s)', (_, open, skip) => {
  const opened: Opened[] = [];
  afterAll(async () => {
    for (const { store, cleanUp } of opened) {
      await store.close();
      await cleanUp();
    }
  });
  const fresh = async () => {
    const o = await open();
    opened.push(o);
    return o.store;
  };

  it.skipIf(skip)('stores ciphertext, reads the installation back, and fails loudly on tampering', async () => {
    const raw = await fresh();
    const keys: TokenKeys = { current: key(), previous: [] };
    const store = withEncryptedInstallations(raw, keys);
    await store.saveInstallation({ teamId: 'T1' }, INSTALLATION);
    const stored = (await raw.getInstallation({ teamId: 'T1' }))!;
    expect(stored).toMatch(/^enc:v1:[0-9a-f]{8}:/);
    expect(stored).not.toContain('xoxb-');
    expect(await store.getInstallation({ teamId: 'T1' })).toBe(INSTALLATION);
    const parts = stored.split(':');
    parts[5] = Buffer.from('x'.repeat(40)).toString('base64');
    await raw.saveInstallation({ teamId: 'T1' }, parts.join(':'));
    await expect(store.getInstallation({ teamId: 'T1' })).rejects.toThrow();
  });

  it.skipIf(skip)(
    'rotates: an old key still reads, and each installation read is saved again under the new key; rows in clear are encrypted when read',
    async () => {
      const raw = await fresh();
      const [oldKey, newKey] = [key(), key()];
      await raw.saveInstallation({ teamId: 'T1' }, encrypt(INSTALLATION, oldKey));
      await raw.saveInstallation({ teamId: 'T2' }, INSTALLATION);
      const store = withEncryptedInstallations(raw, { current: newKey, previous: [oldKey] });
      expect(await store.getInstallation({ teamId: 'T1' })).toBe(INSTALLATION);
      expect(await store.getInstallation({ teamId: 'T2' })).toBe(INSTALLATION);
      const onlyNew = withEncryptedInstallations(raw, { current: newKey, previous: [] });
      expect(await onlyNew.getInstallation({ teamId: 'T1' })).toBe(INSTALLATION);
      expect(await onlyNew.getInstallation({ teamId: 'T2' })).toBe(INSTALLATION);
      expect(await raw.getInstallation({ teamId: 'T2' })).toMatch(/^enc:v1:/);
      const wrongKey = withEncryptedInstallations(raw, { current: key(), previous: [] });
      await expect(wrongKey.getInstallation({ teamId: 'T1' })).rejects.toThrow(
        /neither PAPERBOY_TOKEN_KEY nor in PAPERBOY_TOKEN_KEY_PREVIOUS/,
      );
    },
  );
});

describe('the SQLite file', () => {
  it('is created readable and writable by its owner alone, and so are its WAL files', async () => {
    const { statSync } = await import('node:fs');
    const dir = mkdtempSync(join(tmpdir(), 'paperboy-mode-'));
    const file = join(dir, 'nested', 'paperboy.db');
    const store = openSqliteStore(file);
    await store.saveInstallation({ teamId: 'T1' }, INSTALLATION);
    for (const path of [file, `${file}-wal`]) expect((statSync(path).mode & 0o777).toString(8)).toBe('600');
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });
});
