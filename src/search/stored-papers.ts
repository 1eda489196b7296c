import type { PaperChanges } from '../papers/paper-store.js';
import type { Paper } from '../papers/paper.js';
import { slugify } from '../papers/slug.js';
import type { PaperIndex } from './types.js';

/**
 * Takes what the store's change feed read into an index: removals first, then the papers, as
 * storing them does (src/ingest/ingest.ts): an ingested paper replaces the seed's copy of it (known
 * by its title's slug). A paper the index already holds unchanged is skipped: the feed cannot tell
 * who wrote it. Returns the papers taken in and how many were removed.
 */
export function takeInStored(
  index: PaperIndex,
  { papers, removed }: Pick<PaperChanges, 'papers' | 'removed'>,
): { taken: Paper[]; removed: number } {
  const gone = removed.filter((id) => index.get(id) !== undefined);
  index.remove(gone);
  const changed = papers.filter((paper) => !sameContent(index.get(paper.id), paper));
  if (changed.length === 0) return { taken: changed, removed: gone.length };
  index.remove(changed.map((paper) => slugify(paper.title)).filter((slug, i) => slug !== changed[i]!.id));
  index.upsert(changed);
  return { taken: changed, removed: gone.length };
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
