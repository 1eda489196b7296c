import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Paper } from '../../src/papers/paper.js';
import { openPostgresStore, POSTGRES_MIGRATIONS, type PostgresStore, type PostgresStoreOptions } from '../../src/store/postgres.js';
import { EVENT_CLAIM_TTL_MS } from '../../src/store/store.js';
import { describeDigestStoreContract } from './digest-contract.js';
import { describeStoreContract } from './store-contract.js';
import { loadSettings } from '../../src/config.js';
import { storePapers } from '../../src/ingest/ingest.js';
import { openCore } from '../../src/runtime/core.js';
import { loadCorpus } from '../../src/papers/corpus.js';
import { DEFAULT_CORPUS } from '../../src/paths.js';

const url = process.env.PAPERBOY_TEST_DATABASE_URL;
const HOW_TO = 'start one (Debian or Ubuntu, as root or with sudo) with: eval "$(bash .ci/postgres.sh)"';
if (!url && process.env.CI) {
  throw new Error(`PAPERBOY_TEST_DATABASE_URL is not set, and CI must test the Postgres store: ${HOW_TO}`);
}
if (!url) console.warn(`Skipping the Postgres store tests: PAPERBOY_TEST_DATABASE_URL is not set; ${HOW_TO}`);

describe.skipIf(!url)('Postgres store', () => {
  const databaseUrl = url!;
  let admin: pg.Pool;
  const schemas: string[] = [];
  const stores: PostgresStore[] = [];

  beforeAll(() => {
    admin = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  });
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((store) => store.close()));
    for (const schema of schemas.splice(0)) await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  });
  afterAll(async () => {
    await admin.end();
  });

  /** A schema name no other test uses; dropped after the test. */
  function freshSchema(): string {
    const schema = `paperboy_test_${randomBytes(6).toString('hex')}`;
    schemas.push(schema);
    return schema;
  }

  async function open(schema: string, options: Omit<PostgresStoreOptions, 'schema'> = {}, serverUrl = databaseUrl) {
    const store = await openPostgresStore(serverUrl, { ...options, schema });
    stores.push(store);
    return store;
  }

  let contractSchema = '';
  describeStoreContract('Postgres', {
    open: () => {
      contractSchema = freshSchema();
      return open(contractSchema);
    },
    reopen: () => open(contractSchema),
  });
  describeDigestStoreContract('Postgres', { open: (now) => open(freshSchema(), { now }) });

  describe('under concurrency', () => {
    const key = { teamId: 'T1', channelId: 'C1', date: '2026-03-02' };

    it('gives a digest to exactly one of 20 claims from 4 processes', async () => {
      const schema = freshSchema();
      const replicas = await Promise.all([1, 2, 3, 4].map(() => open(schema, { poolSize: 5 })));
      const claims = await Promise.all(Array.from({ length: 20 }, (_, i) => replicas[i % 4]!.claimDigest(key, `worker-${i}`, 60_000)));
      const winner = claims.findIndex((claim) => claim.claimed);
      expect(claims.filter((claim) => claim.claimed)).toMatchObject([{ claimed: true, recovering: false }]);
      expect(claims.filter((claim) => !claim.claimed && claim.reason === 'held')).toHaveLength(19);
      expect(await replicas[3]!.markDigestPosted(key, `worker-${(winner + 1) % 20}`, '1.1', [])).toBe(false);
      expect(await replicas[0]!.markDigestPosted(key, `worker-${winner}`, '1.1', [])).toBe(true);
    });

    it('lets exactly one of 20 concurrent claims take over an expired lease', async () => {
      let time = new Date('2026-03-02T08:00:00Z');
      const now = () => time;
      const schema = freshSchema();
      const replicas = await Promise.all([1, 2, 3, 4].map(() => open(schema, { now, poolSize: 5 })));
      await replicas[0]!.claimDigest(key, 'crashed-worker', 60_000);
      time = new Date(time.getTime() + 120_000);
      const claims = await Promise.all(Array.from({ length: 20 }, (_, i) => replicas[i % 4]!.claimDigest(key, `worker-${i}`, 60_000)));
      expect(claims.filter((claim) => claim.claimed)).toMatchObject([{ claimed: true }]);
    });

    it('migrates a fresh schema that several processes open at once', async () => {
      for (let round = 0; round < 5; round++) {
        const schema = freshSchema();
        await Promise.all([1, 2, 3].map(() => open(schema, { poolSize: 1 })));
        const { rows } = await admin.query<{ version: number }>(`SELECT version FROM ${schema}.schema_migrations ORDER BY version`);
        expect(rows.map((row) => row.version)).toEqual(POSTGRES_MIGRATIONS.map((_, i) => i + 1));
      }
    });

    it('keeps one vote per user and paper when replicas record votes at once', async () => {
      const schema = freshSchema();
      const [first, second] = await Promise.all([open(schema), open(schema)]);
      await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          (i % 2 ? first! : second!).recordFeedback({ teamId: 'T1', channelId: 'C1', userId: 'U1', paperId: 'p1', value: i % 3 ? 1 : -1 }),
        ),
      );
      const { rows } = await admin.query<{ count: number }>(`SELECT count(*)::integer AS count FROM ${schema}.feedback`);
      expect(rows[0]?.count).toBe(1);
      const votes = await first!.channelVotes('T1', 'C1');
      expect(votes.liked.length + votes.disliked.length).toBe(1);
    });

    it('upserts overlapping batches from two processes at once without deadlocking', async () => {
      const schema = freshSchema();
      const [first, second] = await Promise.all([open(schema), open(schema)]);
      const papers = Array.from({ length: 300 }, (_, i) => paper(`p${i}`, { date: '2026-03-02', rank: i + 1 }));
      for (let round = 0; round < 10; round++) {
        await Promise.all([first!.upsertPapers(papers), second!.upsertPapers([...papers].reverse())]);
      }
      expect(await first!.allPapers()).toHaveLength(300);
    });
  });

  describe('connections', () => {
    it('fails a call whose connection is lost mid-query, and serves the next one', async () => {
      const schema = freshSchema();
      const store = await open(schema, { poolSize: 1 });
      await store.set('k', 'v');
      const locker = await admin.connect();
      try {
        await locker.query('BEGIN');
        await locker.query(`LOCK TABLE ${schema}.cache IN ACCESS EXCLUSIVE MODE`);
        const failure = expect(store.set('k', 'w')).rejects.toThrow(/terminat/i);
        const { rows } = await locker.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
        await admin.query('SELECT pg_terminate_backend($1)', [await blockedBy(rows[0]!.pid)]);
        await failure;
      } finally {
        await locker.query('ROLLBACK');
        locker.release();
      }
      expect(await store.get('k')).toBe('v');
    });

    it('survives the server closing its idle connections', async () => {
      const name = `paperboy_idle_${randomBytes(4).toString('hex')}`;
      const withName = new URL(databaseUrl);
      withName.searchParams.set('application_name', name);
      const store = await open(freshSchema(), { poolSize: 3 }, withName.toString());
      await Promise.all([store.set('a', '1'), store.set('b', '2'), store.set('c', '3')]);
      const { rows } = await admin.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE application_name = $1', [name]);
      expect(rows.length).toBeGreaterThan(0);
      await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1', [name]);
      await until(async () => (await admin.query('SELECT 1 FROM pg_stat_activity WHERE application_name = $1', [name])).rowCount === 0);
      await sleep(50); // for the pool to read the servers' goodbyes
      expect(await store.get('a')).toBe('1');
    });

    it('fails to open, rather than hang, when the server is unreachable', async () => {
      const unreachable = new URL(databaseUrl);
      unreachable.port = '1';
      await expect(openPostgresStore(unreachable.toString())).rejects.toThrow(/ECONNREFUSED/);
    });

    it('refuses a schema migrated by a newer build', async () => {
      const schema = freshSchema();
      await (await open(schema)).close();
      await admin.query(`INSERT INTO ${schema}.schema_migrations (version) VALUES ($1)`, [POSTGRES_MIGRATIONS.length + 1]);
      await expect(open(schema)).rejects.toThrow(/newer than this build/);
    });

    it('refuses a schema name that search_path would fold or split', async () => {
      await expect(openPostgresStore(databaseUrl, { schema: 'Mixed_Case' })).rejects.toThrow(/schema name/);
      await expect(openPostgresStore(databaseUrl, { schema: 'a,public' })).rejects.toThrow(/schema name/);
    });
  });

  it('forgets claimed events after a day', async () => {
    let time = new Date('2026-01-01T00:00:00Z');
    const store = await open(freshSchema(), { now: () => time });
    expect(await store.claimEvent('EvOld')).toBe(true);
    time = new Date(time.getTime() + EVENT_CLAIM_TTL_MS / 2);
    expect(await store.claimEvent('EvOld')).toBe(false);
    time = new Date(time.getTime() + EVENT_CLAIM_TTL_MS);
    expect(await store.claimEvent('EvOld')).toBe(true);
    expect(await store.claimEvent('EvOld')).toBe(false);
  });

  describe('change feed', () => {
    it('never skips a paper whose writer commits after a later writer', async () => {
      const schema = freshSchema();
      const store = await open(schema);
      const start = await store.changeCursor();
      const slow = await admin.connect();
      try {
        await slow.query('BEGIN');
        await slow.query(`INSERT INTO ${schema}.papers (id, paper, updated_at) VALUES ($1, $2, now())`, [
          'slow',
          JSON.stringify(paper('slow', undefined)),
        ]);
        // A later transaction stores and commits while the first is still open.
        await store.upsertPapers([paper('fast', undefined)]);
        const meanwhile = await store.papersChangedSince(start);
        expect(meanwhile.papers.map(({ id }) => id)).not.toContain('fast');
        await slow.query('COMMIT');
        const after = await store.papersChangedSince(meanwhile.cursor);
        expect(after.papers.map(({ id }) => id).sort()).toEqual(['fast', 'slow']);
        expect((await store.papersChangedSince(after.cursor)).papers).toEqual([]);
      } finally {
        slow.release();
      }
    });

    it('keeps one shared index snapshot, whole, in chunks', async () => {
      const schema = freshSchema();
      const store = await open(schema);
      const shared = store.sharedIndex!;
      expect(await shared.latestIndexSnapshot()).toBeUndefined();
      const big = randomBytes(40 * 2 ** 20);
      // Parts of any size, as the index streams them: 16 MB rows in the store, the bytes the same.
      const cuts = [0, 5 * 2 ** 20, 5 * 2 ** 20 + 1, 29 * 2 ** 20, big.byteLength];
      await shared.saveIndexSnapshot(streamed(cuts.slice(1).map((end, i) => big.subarray(cuts[i], end))));
      const loaded = await shared.latestIndexSnapshot();
      expect(Buffer.compare(Buffer.from(loaded!.bytes), big)).toBe(0);
      await shared.saveIndexSnapshot(streamed([new Uint8Array([1, 2, 3])]));
      expect([...(await shared.latestIndexSnapshot())!.bytes]).toEqual([1, 2, 3]);
      // A save that fails half way leaves the snapshot there was.
      async function* failing() {
        yield big.subarray(0, 20 * 2 ** 20);
        throw new Error('serializing failed');
      }
      await expect(shared.saveIndexSnapshot(failing())).rejects.toThrow(/serializing failed/);
      expect([...(await shared.latestIndexSnapshot())!.bytes]).toEqual([1, 2, 3]);
      const count = async (table: string) =>
        Number((await admin.query<{ n: string }>(`SELECT count(*) AS n FROM ${schema}.${table}`)).rows[0]!.n);
      expect([await count('index_snapshots'), await count('index_snapshot_chunks')]).toEqual([1, 1]);
    });

    it('starts a replica with no index file from the snapshot another replica shared', async () => {
      const schema = freshSchema();
      const settings = loadSettings({ DATABASE_URL: databaseUrl, PAPERBOY_DB_SCHEMA: schema, PAPERBOY_REFRESH: 'off' });
      const said: string[] = [];
      const logger = { debug: note, info: note, warn: note, error: note };
      function note(message: string, fields?: Record<string, unknown>) {
        said.push(`${message}${fields?.how ? ` ${fields.how}` : ''}`);
      }
      const first = await openCore({ settings, logger });
      try {
        expect(said).toContain('search index ready built');
        const shared = first.services.store.sharedIndex!;
        await until(async () => (await shared.latestIndexSnapshot()) !== undefined);
        await first.services.persister!.saved();
        // A paper stored after the snapshot was shared: the new replica indexes it on top.
        await first.services.store.upsertPapers([{ ...paper('2503.77777', undefined), title: 'Platypus retrieval' }]);

        said.length = 0;
        const second = await openCore({ settings, logger });
        try {
          expect(said).toContain('search index ready shared');
          expect(second.services.index.size).toBe(first.services.index.size + 1);
          expect(second.services.index.search('platypus').map((hit) => hit.paper.id)).toEqual(['2503.77777']);
          expect(second.services.index.search('distillation', { limit: 3 }).map((hit) => hit.paper.id)).toEqual(
            first.services.index.search('distillation', { limit: 3 }).map((hit) => hit.paper.id),
          );
        } finally {
          await second.services.store.close();
        }
      } finally {
        await first.services.store.close();
      }
    });

    it('brings papers another replica stored into this replica’s search without a restart', async () => {
      const schema = freshSchema();
      const settings = loadSettings({ DATABASE_URL: databaseUrl, PAPERBOY_DB_SCHEMA: schema, PAPERBOY_REFRESH: 'off' });
      const logger = { debug() {}, info() {}, warn() {}, error() {} };
      const [first, second] = [await openCore({ settings, logger }), await openCore({ settings, logger })];
      try {
        const seedPaper = loadCorpus(DEFAULT_CORPUS).papers[0]!;
        const newPaper = { ...paper('2503.99999', { date: '2026-03-02', rank: 1 }), title: 'Quokka distillation for tiny models' };
        // The ingested copy of a seed paper: the same title under its arXiv id.
        const ingestedSeed = { ...seedPaper, id: '2503.99998', trending: { date: '2026-03-02', rank: 2 } };
        await storePapers([newPaper, ingestedSeed], { store: first.services.store, index: first.services.index });
        expect(second.services.index.search('quokka')).toEqual([]);

        // Two papers in, and the seed's copy out (storing removed it from the store, and the feed says so).
        expect(await second.feed!.poll()).toBe(3);
        expect(second.services.index.search('quokka').map((hit) => hit.paper.id)).toEqual(['2503.99999']);
        expect(second.services.index.get('2503.99998')).toBeDefined();
        expect(second.services.index.get(seedPaper.id)).toBeUndefined();
        // What it indexed itself comes back through the feed unchanged: nothing to do.
        expect(await first.feed!.poll()).toBe(0);
        expect(await second.feed!.poll()).toBe(0);
      } finally {
        await Promise.all([first, second].map((core) => core.services.store.close()));
      }
    });
  });

  /** The backend waiting on a lock that `pid` holds. */
  async function blockedBy(pid: number): Promise<number> {
    let blocked: number | undefined;
    await until(async () => {
      const { rows } = await admin.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE $1 = ANY (pg_blocking_pids(pid))', [pid]);
      blocked = rows[0]?.pid;
      return blocked !== undefined;
    });
    return blocked!;
  }
});

async function* streamed(parts: Uint8Array[]): AsyncGenerator<Uint8Array> {
  yield* parts;
}

async function until(condition: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(20);
  }
}

function paper(id: string, trending: Paper['trending']): Paper {
  return { id, title: `Paper ${id}`, abstract: '', authors: [], upvotes: 0, links: {}, keywords: [], source: 'test', trending };
}
