import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/store/sqlite.js';
import { describeDigestStoreContract } from './digest-contract.js';

const dir = mkdtempSync(join(tmpdir(), 'paperboy-digest-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let files = 0;
describeDigestStoreContract('SQLite', { open: async (now) => openSqliteStore(join(dir, `digest-${files++}.db`), { now }) });

describe('SQLite digest claims across processes', () => {
  it('two connections to one file (two processes on one laptop) claim a digest once', async () => {
    const file = join(dir, 'shared.db');
    const [a, b] = [openSqliteStore(file), openSqliteStore(file)];
    const key = { teamId: 'T1', channelId: 'C1', date: '2026-03-02' };
    const claims = await Promise.all([a.claimDigest(key, 'a', 60_000), b.claimDigest(key, 'b', 60_000)]);
    expect(claims.filter((claim) => claim.claimed)).toHaveLength(1);
    await Promise.all([a.close(), b.close()]);
  });
});
