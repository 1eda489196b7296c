/**
 * Rebuilds data/papers.jsonl, the embedded default corpus, from the seed Daily Papers page:
 *   npm run corpus:seed -- [SEED_FILE] [--year 2025] [--out data/papers.jsonl]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { PaperSchema } from '../src/papers/paper.js';
import { parseDailyPapersPage } from '../src/papers/seed-page.js';
import { DEFAULT_CORPUS, projectRoot } from '../src/paths.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { year: { type: 'string', default: '2025' }, out: { type: 'string', default: DEFAULT_CORPUS } },
});
const seed = positionals[0] ?? join(projectRoot, '..', 'shared', 'seeds', '000_f246e1f06d485191.txt');
const papers = parseDailyPapersPage(readFileSync(seed, 'utf8'), Number(values.year)).map((p) => PaperSchema.parse(p));
writeFileSync(values.out!, papers.map((p) => JSON.stringify(p)).join('\n') + '\n');
console.log(`wrote ${papers.length} papers to ${values.out}`);
