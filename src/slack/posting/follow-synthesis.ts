import type { Logger } from '../../lib/logger.js';
import type { Synthesis, SynthesisStream } from '../../answer/types.js';
import type { SynthesisState } from '../blocks/synthesis.js';

export type SynthesisOutcome = { status: 'done'; synthesis: Synthesis } | { status: 'timeout' };

/**
 * Reads a synthesis as it streams, reporting the text so far, and resolves with the checked result,
 * or with a timeout when it takes longer than `timeoutMs`; then `cancel` stops the LLM request, whose
 * tokens nobody would read.
 */
export async function followSynthesis(
  stream: SynthesisStream,
  onText: (textSoFar: string) => void,
  timeoutMs: number,
  logger: Logger,
  cancel: () => void,
): Promise<SynthesisOutcome> {
  let timedOut = false;
  const reading = (async (): Promise<SynthesisOutcome> => {
    let text = '';
    try {
      for await (const delta of stream) {
        if (timedOut) break;
        text += delta;
        onText(text);
      }
    } catch (error) {
      // The answerer falls back on its own; `final` still settles with what it could do.
      logger.warn('synthesis stream failed', { error });
    }
    return { status: 'done', synthesis: await stream.final };
  })();
  return withTimeout(reading, timeoutMs, () => {
    timedOut = true;
    cancel();
    return { status: 'timeout' };
  });
}

/** The promise's value, or `onTimeout()` if it has not settled within `ms`. */
export async function withTimeout<T>(promise: Promise<T>, ms: number, onTimeout: () => T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(onTimeout()), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** What the message finally shows: the answer, or why there is none. */
export function finalState(outcome: SynthesisOutcome, reasonWhenLate: string): SynthesisState {
  return outcome.status === 'done' ? { status: 'done', synthesis: outcome.synthesis } : { status: 'unavailable', reason: reasonWhenLate };
}
