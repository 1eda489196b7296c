import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCorpus } from '../../src/papers/corpus.js';
import { datesBetween, ingestDays } from '../../src/ingest/ingest.js';
import { DEFAULT_CORPUS } from '../../src/paths.js';
import { arxivOaiSource } from '../../src/ingest/sources/arxiv-oai.js';
import { hfDailyPapersSource } from '../../src/ingest/sources/hf-daily-papers.js';
import { buildIndex } from '../../src/search/index.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import { recordedDay, startHfServer } from '../support/hf-server.js';

const dir = mkdtempSync(join(tmpdir(), 'paperboy-ingest-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('ingestDays', () => {
  it('stores the day and makes it searchable at once, the arXiv copy replacing the seed copy', async () => {
    const hf = await startHfServer({ '2025-03-28': recordedDay('2025-03-28') });
    const store = openSqliteStore(join(dir, 'ingest.db'));
    const seed = loadCorpus(DEFAULT_CORPUS).papers;
    await store.upsertPapers(seed);
    const index = buildIndex(seed);
    try {
      const stored: string[][] = [];
      const reports = await ingestDays(['2025-03-27', '2025-03-28'], {
        store,
        index,
        source: hfDailyPapersSource({ endpoint: hf.url }),
        onStored: (papers) => stored.push(papers.map((p) => p.id)),
      });
      // Semantic search embeds what each day stored (a day with no papers stores nothing).
      expect(stored).toHaveLength(1);
      expect(stored[0]).toHaveLength(6);
      expect(stored[0]).toContain('2503.20100');
      expect(reports).toEqual([
        { date: '2025-03-27', papers: 0, skipped: 0, skipReasons: {} },
        { date: '2025-03-28', papers: 6, skipped: 1, skipReasons: { 'paper.title: missing or empty': 1 } },
      ]);
      expect(index.search('MagicInfinite talking videos').map((hit) => hit.paper.id)[0]).toBe('2503.20100');
      expect(index.get('magicinfinite-generating-infinite-talking-videos-with-your-words-and-voice')).toBeUndefined();
      expect(index.size).toBe(68);
      const trending = await store.trendingOn('2025-03-28');
      expect(trending.map((p) => p.id)).toContain('2503.20100');
      expect(trending).toHaveLength(68);
    } finally {
      await store.close();
      await hf.close();
    }
  });

  it('reports a day it cannot fetch and goes on with the others', async () => {
    const store = openSqliteStore(join(dir, 'down.db'));
    try {
      const reports = await ingestDays(['2025-03-28'], {
        store,
        source: hfDailyPapersSource({ endpoint: 'http://127.0.0.1:9', attempts: 1 }),
      });
      expect(reports[0]).toMatchObject({ date: '2025-03-28', papers: 0, error: expect.stringContaining('network error') });
    } finally {
      await store.close();
    }
  });
});

describe('days a source gave whole', () => {
  it('records a day as done only once the source has settled it (arXiv writes a day by 03:00 UTC the next)', async () => {
    const store = openSqliteStore(join(dir, 'settle.db'));
    const arxiv = arxivOaiSource({ endpoint: 'http://127.0.0.1:9', categories: ['cs.CL'] });
    const source = { ...arxiv, fetchDay: async (date: string) => ({ date, papers: [], skipped: 0, skipReasons: {} }) };
    const ingestAt = (time: string) => ingestDays(['2025-03-27'], { store, source, now: () => new Date(time) });
    try {
      await ingestAt('2025-03-28T01:00:00Z');
      expect(await store.sourceDaysDone('arxiv', '2025-03-27', '2025-03-27')).toEqual(new Set());
      await ingestAt('2025-03-28T06:00:00Z');
      expect(await store.sourceDaysDone('arxiv', '2025-03-27', '2025-03-27')).toEqual(new Set(['2025-03-27']));
    } finally {
      await store.close();
    }
  });
});

describe('datesBetween', () => {
  it('lists every day, both ends included, across a month end', () => {
    expect(datesBetween('2025-02-27', '2025-03-02')).toEqual(['2025-02-27', '2025-02-28', '2025-03-01', '2025-03-02']);
    expect(datesBetween('2025-03-02', '2025-03-01')).toEqual([]);
  });
});
