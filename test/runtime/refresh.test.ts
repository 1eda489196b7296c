import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/lib/logger.js';
import { createRefresher, type Refresher } from '../../src/runtime/refresh.js';
import { buildIndex } from '../../src/search/index.js';
import { openSqliteStore, type SqliteStore } from '../../src/store/sqlite.js';
import { recordedDay, startHfServer, type HfServer } from '../support/hf-server.js';

const dir = mkdtempSync(join(tmpdir(), 'paperboy-refresh-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('fetching closed days for digests', () => {
  let time: Date;
  let hf: HfServer;
  let store: SqliteStore;
  let refresher: Refresher;
  beforeEach(async () => {
    time = new Date('2025-03-31T07:00:00Z');
    hf = await startHfServer({ '2025-03-28': recordedDay('2025-03-28') });
    store = openSqliteStore(join(dir, `${Math.random().toString(36).slice(2)}.db`), { now: () => time });
    refresher = await createRefresher({
      store,
      index: buildIndex([]),
      hf: { endpoint: hf.url, attempts: 1, sleep: async () => undefined },
      logger: silentLogger,
      now: () => time,
    });
  });
  afterEach(async () => {
    await store.close();
    await hf.close();
  });

  it('records each closed day fetched whole as final, empty ones too; fetches one day once for channels asking at once', async () => {
    await Promise.all([refresher.fetchClosedDays(['2025-03-28', '2025-03-29']), refresher.fetchClosedDays(['2025-03-28'])]);
    expect(hf.requests.filter((r) => r.url.searchParams.get('date') === '2025-03-28')).toHaveLength(1);
    const held = await store.daysHeld('2025-03-28', '2025-03-30');
    expect(held.closed).toEqual(new Set(['2025-03-28', '2025-03-29']));
    expect(held.withPapers).toEqual(new Set(['2025-03-28']));
    expect(refresher.lastHeard()).toEqual(time);
    // Today has not ended: never recorded as final.
    await refresher.fetchClosedDays(['2025-03-31']);
    expect((await store.daysHeld('2025-03-31', '2025-03-31')).closed.size).toBe(0);
  });

  it('a day that cannot be fetched is waited for (App Home says so), tried again no sooner than 5 minutes later', async () => {
    hf.failures.push({ status: 503 });
    await refresher.fetchClosedDays(['2025-03-30']);
    expect(refresher.waitingFor()).toEqual(['2025-03-30']);
    await refresher.fetchClosedDays(['2025-03-30']);
    expect(hf.requests).toHaveLength(1);
    time = new Date(time.getTime() + 5 * 60_000);
    await refresher.fetchClosedDays(['2025-03-30']);
    expect(hf.requests).toHaveLength(2);
    expect(refresher.waitingFor()).toEqual([]);
    expect((await store.daysHeld('2025-03-30', '2025-03-30')).closed).toEqual(new Set(['2025-03-30']));
  });
});
