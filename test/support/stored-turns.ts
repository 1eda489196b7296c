import { vi } from 'vitest';
import type { Turn } from '../../src/answer/types.js';
import type { Store, ThreadKey } from '../../src/store/store.js';

/**
 * The thread's turns once `count` are stored. The app stores the answer's turn after Slack accepts
 * its final edit, so a test that has seen that edit may still be a moment early.
 */
export function storedTurns(store: Store, key: ThreadKey, count: number): Promise<Turn[]> {
  return vi.waitFor(async () => {
    const turns = await store.getTurns(key);
    if (turns.length < count) throw new Error(`${turns.length} of ${count} turns stored`);
    return turns;
  });
}
