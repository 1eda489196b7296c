import type { Paper } from '../papers/paper.js';
import { slugify } from '../papers/slug.js';
import type { PaperIndex } from './types.js';

/**
 * Takes papers read from the store's change feed into an index, as storing them does
 * (src/ingest/ingest.ts): an ingested paper replaces the seed's copy of it (known by its title's
 * slug). A paper the index already holds unchanged is skipped: the feed cannot tell who wrote it.
 * Returns the papers that changed the index.
 */
export function takeInStored(index: PaperIndex, papers: Paper[]): Paper[] {
  const changed = papers.filter((paper) => !sameContent(index.get(paper.id), paper));
  if (changed.length === 0) return changed;
  index.remove(changed.map((paper) => slugify(paper.title)).filter((slug, i) => slug !== changed[i]!.id));
  index.upsert(changed);
  return changed;
}

/** Same fields and values, whatever order the store's JSON gave the keys in (Postgres's jsonb sorts them). */
function sameContent(indexed: Paper | undefined, stored: Paper): boolean {
  return indexed !== undefined && canonical(indexed) === canonical(stored);
}

function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    item && typeof item === 'object' && !Array.isArray(item)
      ? Object.fromEntries(Object.entries(item).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : item,
  );
}
