let queue: Promise<void> = Promise.resolve();

/**
 * Resolves on a later event-loop turn, one caller per turn, in order. Called right after `ack()`:
 * when a burst of commands arrives, every request waiting on the socket is acknowledged (Slack
 * allows 3 s) before the CPU-bound part of the next answer (search, rendering) starts, instead of
 * all the answers' work running first. A plain setImmediate would not do: Node runs every
 * immediate queued before the check phase in one go.
 */
export function afterPendingAcks(): Promise<void> {
  const turn = queue.then(() => new Promise<void>((resolve) => setImmediate(resolve)));
  queue = turn;
  return turn;
}
