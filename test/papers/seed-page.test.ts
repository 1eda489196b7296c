import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PaperSchema } from '../../src/papers/paper.js';
import { parseDailyPapersPage } from '../../src/papers/seed-page.js';
import { DEFAULT_CORPUS, projectRoot } from '../../src/paths.js';
import { loadCorpus } from '../../src/papers/corpus.js';

const SEED = join(projectRoot, '..', 'shared', 'seeds', '000_f246e1f06d485191.txt');

describe('parseDailyPapersPage', () => {
  it('reads title and abstract pairs in trending order after the day line', () => {
    const page = 'new\n\nSubscribe\n\nMar 28\n\nFirst Paper: A Study\n\nWe study.\n\nSecond Paper\n\nWe also study.\n';
    const papers = parseDailyPapersPage(page, 2025).map((p) => PaperSchema.parse(p));
    expect(papers.map((p) => [p.id, p.trending])).toEqual([
      ['first-paper-a-study', { date: '2025-03-28', rank: 1 }],
      ['second-paper', { date: '2025-03-28', rank: 2 }],
    ]);
    expect(papers[0]!.abstract).toBe('We study.');
    expect(papers[0]!.links.page).toBe('https://huggingface.co/papers?q=First%20Paper%3A%20A%20Study');
  });

  it('refuses a page whose titles and abstracts do not pair up, rather than shifting them', () => {
    expect(() => parseDailyPapersPage('Mar 28\n\nTitle only\n', 2025)).toThrow(/pairs/);
    expect(() => parseDailyPapersPage('no day here\n', 2025)).toThrow(/day line/);
  });

  // CI has ../shared beside the clone; only a checkout without it may skip this.
  it.runIf(readable(SEED) || process.env.CI)('data/papers.jsonl is exactly what the seed converts to', () => {
    const fromSeed = parseDailyPapersPage(readFileSync(SEED, 'utf8'), 2025).map((p) => PaperSchema.parse(p));
    const embedded = loadCorpus(DEFAULT_CORPUS);
    expect(fromSeed).toHaveLength(68);
    expect(embedded.issues).toEqual([]);
    expect(embedded.papers.map(({ source: _s, ...p }) => p)).toEqual(fromSeed.map(({ source: _s, ...p }) => p));
    expect(fromSeed.find((p) => p.title.startsWith('Dual-Head Knowledge Distillation'))?.trending?.rank).toBeGreaterThan(0);
  });
});

function readable(file: string): boolean {
  try {
    readFileSync(file);
    return true;
  } catch {
    return false;
  }
}
