import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadSettings } from '../../src/config.js';
import type { Paper } from '../../src/papers/paper.js';
import { openCore } from '../../src/runtime/core.js';
import { paperFeed } from '../../src/runtime/paper-feed.js';
import { buildIndex } from '../../src/search/paper-index.js';
import { openSqliteStore } from '../../src/store/sqlite.js';

const dir = mkdtempSync(join(tmpdir(), 'paperboy-feed-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const quiet = { debug() {}, info() {}, warn() {}, error() {} };

function paper(id: string, title: string): Paper {
  return {
    id,
    title,
    abstract: `${title}, studied at length.`,
    authors: ['A. Author'],
    upvotes: 3,
    links: {},
    keywords: [],
    source: 'test',
  };
}

describe('the paper feed', () => {
  it('takes papers another process stored in the same SQLite file into the running bot’s search', async () => {
    const database = join(dir, 'bot.db');
    const core = await openCore({ settings: loadSettings({ PAPERBOY_DB: database, PAPERBOY_REFRESH: 'off' }), logger: quiet });
    // `paperboy ingest` in another process: its own connection to the file.
    const cli = await openSqliteStore(database);
    try {
      await cli.upsertPapers([paper('2503.00001', 'Wombat pruning of attention heads')]);
      expect(core.services.index.search('wombat')).toEqual([]);
      expect(await core.feed!.poll()).toBe(1);
      expect(core.services.index.search('wombat').map((hit) => hit.paper.id)).toEqual(['2503.00001']);
      await cli.upsertPapers([{ ...paper('2503.00001', 'Wombat pruning of attention heads'), upvotes: 30 }]);
      expect(await core.feed!.poll()).toBe(1);
      expect(core.services.index.get('2503.00001')?.upvotes).toBe(30);
      expect(await core.feed!.poll()).toBe(0);
      // A removal in the other process reaches the running bot's search too.
      await cli.removePapers(['2503.00001']);
      expect(await core.feed!.poll()).toBe(1);
      expect(core.services.index.search('wombat')).toEqual([]);
      expect(await core.feed!.poll()).toBe(0);
    } finally {
      await cli.close();
      await core.services.store.close();
    }
  });

  it('says so and keeps its place when the store fails, then catches up', async () => {
    const index = buildIndex([]);
    const warnings: string[] = [];
    let failing = true;
    const asked: string[] = [];
    const feed = paperFeed({
      store: {
        async papersChangedSince(cursor) {
          asked.push(cursor);
          if (failing) throw new Error('connection refused');
          return { papers: [paper('p1', 'Echidna graphs')], removed: [], cursor: '7' };
        },
      },
      index,
      cursor: '3',
      logger: { ...quiet, warn: (message: string) => void warnings.push(message) },
    });
    expect(await feed.poll()).toBe(0);
    expect(warnings).toEqual(['papers stored elsewhere not indexed yet; trying again at the next poll']);
    failing = false;
    expect(await feed.poll()).toBe(1);
    expect(asked).toEqual(['3', '3']);
    expect(index.search('echidna')).toHaveLength(1);
  });
});
