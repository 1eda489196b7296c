import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/paths.js';

const url = process.env.PAPERBOY_TEST_DATABASE_URL;
const run = promisify(execFile);
const dist = (path: string) => pathToFileURL(join(projectRoot, 'dist', 'src', path)).href;

// In a fresh process: load the whole Slack runtime's module graph, open the services as start-up
// does, and list which store backends were loaded (better-sqlite3 is CommonJS: its loader records it
// in require.cache, and its native addon appears among the process's shared objects).
const PROBE = `
import { createRequire } from 'node:module';
await import(${JSON.stringify(dist('runtime/start.js'))});
const { openServices } = await import(${JSON.stringify(dist('runtime/services.js'))});
const silent = { debug() {}, info() {}, warn() {}, error() {} };
const services = await openServices(process.env, undefined, silent);
await services.store.close();
const cached = Object.keys(createRequire(import.meta.url).cache);
const shared = process.report.getReport().sharedObjects;
console.log(JSON.stringify({
  sqlite: cached.some((file) => file.includes('better-sqlite3')) || shared.some((file) => file.includes('better_sqlite3')),
  pg: cached.some((file) => /[\\\\/]node_modules[\\\\/]pg[\\\\/]/.test(file)),
}));
`;

async function probe(env: Record<string, string>): Promise<{ sqlite: boolean; pg: boolean }> {
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', PROBE], {
    cwd: projectRoot,
    env: { PATH: process.env.PATH ?? '', PAPERBOY_REFRESH: 'off', ...env },
  });
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as { sqlite: boolean; pg: boolean };
}

describe('store backends load only when chosen', () => {
  const dir = mkdtempSync(join(tmpdir(), 'paperboy-lazy-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('the embedded default loads SQLite and not pg', async () => {
    expect(await probe({ PAPERBOY_DB: join(dir, 'paperboy.db') })).toEqual({ sqlite: true, pg: false });
  });

  it.skipIf(!url)('a Postgres deployment never loads better-sqlite3', async () => {
    const schema = `paperboy_test_${randomBytes(6).toString('hex')}`;
    try {
      expect(await probe({ DATABASE_URL: url!, PAPERBOY_DB_SCHEMA: schema })).toEqual({ sqlite: false, pg: true });
    } finally {
      const admin = new pg.Pool({ connectionString: url!, max: 1 });
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.end();
    }
  });
});
