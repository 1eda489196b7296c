import type { Logger } from '../lib/logger.js';
import type { PaperStore } from '../papers/paper-store.js';
import type { Paper } from '../papers/paper.js';
import { slugify } from '../papers/slug.js';
import type { PaperIndex } from '../search/types.js';

export interface PaperFeedDeps {
  store: Pick<PaperStore, 'papersChangedSince'>;
  index: PaperIndex;
  /** From store.changeCursor(), taken before the papers the index was opened with were read. */
  cursor: string;
  logger: Logger;
  /** The papers the index took in (to save the index, embed them). */
  onIndexed?: (papers: Paper[]) => void;
}

export interface PaperFeed {
  /** Takes in what other processes stored since the last poll; returns how many papers changed. Never throws. */
  poll(): Promise<number>;
  /** Polls every `intervalMs` (never two polls at once) until stopped. */
  start(intervalMs: number): void;
  stop(): void;
}

/**
 * Keeps this process's search index current with papers other processes store: another replica's
 * refresh, `paperboy ingest`, `paperboy import`. Without it a replica would search only what it had
 * at start-up and what it ingested itself. Papers this process already indexed come back too (the
 * store cannot tell who wrote them) and are skipped when unchanged.
 */
export function paperFeed(deps: PaperFeedDeps): PaperFeed {
  let cursor = deps.cursor;
  let running: Promise<number> | undefined;
  let timer: NodeJS.Timeout | undefined;

  async function take(): Promise<number> {
    try {
      const { papers, cursor: next } = await deps.store.papersChangedSince(cursor);
      cursor = next;
      const changed = papers.filter((paper) => !sameContent(deps.index.get(paper.id), paper));
      if (changed.length === 0) return 0;
      // As storing does (src/ingest/ingest.ts): an ingested paper replaces the seed's copy of it.
      deps.index.remove(changed.map((paper) => slugify(paper.title)).filter((slug, i) => slug !== changed[i]!.id));
      deps.index.upsert(changed);
      deps.onIndexed?.(changed);
      deps.logger.debug('papers stored elsewhere indexed', { papers: changed.length });
      return changed.length;
    } catch (error) {
      deps.logger.warn('papers stored elsewhere not indexed yet; trying again at the next poll', { error: (error as Error).message });
      return 0;
    }
  }

  const poll = () => {
    running ??= take().finally(() => {
      running = undefined;
    });
    return running;
  };

  return {
    poll,
    start(intervalMs) {
      timer ??= setInterval(() => void poll(), intervalMs).unref();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
    },
  };
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
