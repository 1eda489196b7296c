import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { PaperSchema, type Paper } from '../../src/papers/paper.js';
import { DailyPaperItemSchema } from '../../src/ingest/sources/hf-daily-papers-schema.js';
import { unwrap } from '../../src/ingest/sources/hf-daily-papers.js';
import { projectRoot } from '../../src/paths.js';

export const HF_DAYS_FILE = join(projectRoot, '..', 'shared', 'benchmarks', 'hf-daily', 'days.jsonl.gz');

/** A Daily Papers day: its papers in list order, each with Hugging Face's ai_keywords kept aside. */
export interface HfDay {
  date: string;
  papers: Array<{ paper: Paper; aiKeywords: string[] }>;
}

/**
 * The captured days (../shared/benchmarks/hf-daily, see its PROVENANCE.md), oldest first. Items the
 * schema refuses are left out. The papers carry no keywords: ai_keywords are returned beside them so
 * that a benchmark can use them as hidden labels without the ranking seeing them.
 */
export function loadHfDays(file = HF_DAYS_FILE): HfDay[] {
  const lines = gunzipSync(readFileSync(file)).toString('utf8').split('\n').filter(Boolean);
  const days = lines.map((line) => {
    const { date, items } = JSON.parse(line) as { date: string; items: unknown[] };
    const papers: HfDay['papers'] = [];
    items.forEach((raw, position) => {
      const parsed = DailyPaperItemSchema.safeParse(raw);
      if (!parsed.success) return;
      const { paper } = parsed.data;
      papers.push({
        paper: PaperSchema.parse({
          id: paper.id,
          title: unwrap(paper.title),
          abstract: unwrap(paper.summary),
          authors: paper.authors.map((author) => author.name),
          upvotes: paper.upvotes,
          links: { arxiv: `https://arxiv.org/abs/${paper.id}` },
          trending: { date, rank: position + 1 },
          source: 'hf-daily-papers',
        }),
        aiKeywords: (paper.ai_keywords ?? []).filter((keyword) => keyword.trim()),
      });
    });
    return { date, papers };
  });
  return days.sort((a, b) => (a.date < b.date ? -1 : 1));
}
