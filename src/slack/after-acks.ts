/**
 * Node 20's libuv accepts one new connection per event-loop turn (libuv#3696). When a burst of
 * commands arrives on fresh connections and every turn also runs an answer's CPU-bound work (search,
 * rendering), the last connections wait hundreds of milliseconds to be accepted, let alone
 * acknowledged. So an answer's work waits, in cheap empty turns, until no request has been
 * acknowledged for `quietMs`, or `maxTurns` have passed, so that a steady stream of requests
 * cannot hold answers back for long.
 */
export interface AckGateOptions {
  quietMs?: number;
  maxTurns?: number;
  now?: () => number;
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Returns the function to call right after `ack()`. It resolves once the answers queued before it
 * have started and the acknowledgements have paused: a burst of requests is acknowledged (Slack
 * allows 3 s) before the answers' work, not after it, and answers start one at a time, in order.
 */
export function createAckGate({ quietMs = 1, maxTurns = 64, now = () => performance.now() }: AckGateOptions = {}): () => Promise<void> {
  let queue: Promise<void> = Promise.resolve();
  let lastAckAt = 0;
  const waitForQuiet = async () => {
    for (let turn = 0; turn < maxTurns; turn++) {
      await nextTurn();
      if (now() - lastAckAt >= quietMs) return;
    }
  };
  return () => {
    lastAckAt = now();
    const turn = queue.then(waitForQuiet);
    queue = turn;
    return turn;
  };
}

/** The gate every listener of this process shares. */
export const afterPendingAcks = createAckGate();
