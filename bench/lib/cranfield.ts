import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PaperSchema, type Paper } from '../../src/papers/paper.js';
import { projectRoot } from '../../src/paths.js';
import type { Benchmark } from './scifact.js';

/**
 * Where bench:quality looks for the Cranfield collection unless given `--cranfield DIR`.
 * Not in the repository (its licence is not stated anywhere); bench/RESULTS.md says how to get it.
 */
export const CRANFIELD_DIR = join(projectRoot, '..', 'shared', 'benchmarks', 'cranfield');

const FILES = ['cran.all.1400', 'cran.qry', 'cranqrel'] as const;

/** True when `dir` holds the three Cranfield files. */
export function hasCranfield(dir: string): boolean {
  return FILES.every((file) => existsSync(join(dir, file)));
}

/**
 * The Cranfield 1400 collection in its original SMART layout: records opened by `.I n`,
 * fields by `.T` title, `.A` authors, `.B` source, `.W` text. Queries are numbered in
 * cran.qry by `.I` ids with gaps (001, 002, 004, ...), but cranqrel numbers them 1..225 in
 * file order, as every published use of the collection reads them. Judgments are graded
 * 1 (complete answer) to 4 (minimum interest) and -1; relevance is taken as binary (codes
 * 1-4 relevant), because the direction of the grades is read both ways in the literature.
 */
export function loadCranfield(dir: string): Benchmark {
  const docs = records(readFileSync(join(dir, 'cran.all.1400'), 'utf8'));
  const papers: Paper[] = docs.map(({ id, fields }) =>
    PaperSchema.parse({
      id: `cran-${Number(id)}`,
      title: clean(fields.T ?? '') || `Cranfield ${id}`,
      abstract: clean(fields.W ?? ''),
      authors: (fields.A ?? '')
        .split(/\s+and\s+|\n/)
        .map(clean)
        .filter(Boolean),
      source: 'cranfield',
    }),
  );
  const qrels = new Map<number, Record<string, number>>();
  for (const line of readFileSync(join(dir, 'cranqrel'), 'utf8').split('\n')) {
    const [query, doc, code] = line.trim().split(/\s+/).map(Number);
    if (!query || !doc || code === undefined || code < 1) continue;
    const judged = qrels.get(query) ?? {};
    judged[`cran-${doc}`] = 1;
    qrels.set(query, judged);
  }
  const queries = records(readFileSync(join(dir, 'cran.qry'), 'utf8')).map(({ fields }, i) => ({
    query: clean(fields.W ?? ''),
    relevant: qrels.get(i + 1) ?? {},
  }));
  return { papers, queries: queries.filter(({ relevant }) => Object.keys(relevant).length > 0) };
}

function records(text: string): { id: string; fields: Record<string, string> }[] {
  const out: { id: string; fields: Record<string, string> }[] = [];
  let field: string | undefined;
  for (const line of text.split('\n')) {
    const record = /^\.I\s+(\d+)/.exec(line);
    if (record) {
      out.push({ id: record[1]!, fields: {} });
      field = undefined;
      continue;
    }
    const marker = /^\.([A-Z])\s*$/.exec(line);
    if (marker) {
      field = marker[1]!;
      continue;
    }
    const current = out.at(-1);
    if (current && field) current.fields[field] = (current.fields[field] ?? '') + line + '\n';
  }
  return out;
}

/** Joins lines and drops the collection's detached " ." sentence ends. */
function clean(text: string): string {
  return text.replace(/\s+/g, ' ').replace(/ \./g, '.').trim();
}
