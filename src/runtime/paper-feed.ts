import type { Logger } from '../lib/logger.js';
import type { PaperStore } from '../papers/paper-store.js';
import type { Paper } from '../papers/paper.js';
import { takeInStored } from '../search/stored-papers.js';
import type { PaperIndex } from '../search/types.js';

export interface PaperFeedDeps {
  store: Pick<PaperStore, 'papersChangedSince'>;
  index: PaperIndex;
  /** Where the index is current to (openIndex's cursor): every paper written before it is in the index. */
  cursor: string;
  logger: Logger;
  /** The papers the index took in (to save the index, embed them). */
  onIndexed?: (papers: Paper[]) => void;
}

export interface PaperFeed {
  /** Takes in what other processes stored or removed since the last poll; returns how many papers changed. Never throws. */
  poll(): Promise<number>;
  /** The position the index is current to: every paper written before it is in the index. */
  cursor(): string;
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
      const changes = await deps.store.papersChangedSince(cursor);
      const { taken, removed } = takeInStored(deps.index, changes);
      cursor = changes.cursor;
      if (taken.length + removed === 0) return 0;
      deps.onIndexed?.(taken);
      deps.logger.debug('papers stored elsewhere indexed', { papers: taken.length, removed });
      return taken.length + removed;
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
    cursor: () => cursor,
    start(intervalMs) {
      timer ??= setInterval(() => void poll(), intervalMs).unref();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
    },
  };
}
