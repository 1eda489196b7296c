import type { Logger } from '../lib/logger.js';
import { retryDelayMs } from './sources/retry-after.js';

/** How one source talks HTTP: every request a GET, so every one is safe to repeat. */
export interface HttpOptions {
  /** Attempts per request for 429, 5xx and network errors. */
  attempts?: number;
  /** Longest wait for one retry; a longer Retry-After fails the request instead of hanging a job. */
  maxWaitMs?: number;
  timeoutMs?: number;
  /** Retries are logged as warnings. */
  logger?: Logger;
  sleep?: (ms: number) => Promise<void>;
}

/** A request that could not be answered: the server refused it, kept failing, or asked for too long a wait. */
export class SourceUnavailableError extends Error {
  override name = 'SourceUnavailableError';
}

export interface GetRequest {
  url: URL;
  headers?: Record<string, string>;
  /** The service's name in messages: "Hugging Face", "arXiv". */
  service: string;
  /** What is being fetched, for messages and logs: "2025-03-28". */
  what: string;
  /** Waits its turn before each attempt (a source's published request rate). */
  pace?: Pacer;
}

/**
 * GETs `url` until it answers 2xx, retrying network errors, 429 and 5xx with backoff or the
 * server's Retry-After; other statuses fail at once. Returns the body as text.
 */
export async function getWithRetry(request: GetRequest, options: HttpOptions = {}): Promise<string> {
  const { service, what } = request;
  const attempts = options.attempts ?? 4;
  const sleep = options.sleep ?? delay;
  let problem = '';
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const once = () => attemptOnce(request, options.timeoutMs ?? 15_000);
    const outcome = await (request.pace ? request.pace.run(once) : once());
    if ('text' in outcome) return outcome.text;
    if ('error' in outcome) {
      problem = `network error: ${outcome.error}`;
      if (attempt < attempts) await sleep(backoffMs(attempt));
      continue;
    }
    problem = `HTTP ${outcome.status}`;
    if (!(outcome.status === 429 || outcome.status >= 500)) throw new SourceUnavailableError(`${service} answered ${problem} for ${what}`);
    const wait = retryDelayMs(outcome.headers) ?? backoffMs(attempt);
    const maxWaitMs = options.maxWaitMs ?? 60_000;
    if (wait > maxWaitMs)
      throw new SourceUnavailableError(
        `${service} rate limit: retry in ${Math.ceil(wait / 1000)} s (${problem}), longer than the ${Math.ceil(maxWaitMs / 1000)} s allowed; ${what} not fetched`,
      );
    options.logger?.warn(`${service}: retrying`, { what, problem, waitMs: wait });
    if (attempt < attempts) await sleep(wait);
  }
  throw new SourceUnavailableError(`${service} unavailable for ${what} after ${attempts} attempts (${problem})`);
}

type Outcome = { text: string } | { status: number; headers: Headers } | { error: string };

/** One request, body included (a pacer holds its turn until the answer is read). */
async function attemptOnce(request: GetRequest, timeoutMs: number): Promise<Outcome> {
  try {
    const response = await fetch(request.url, { headers: request.headers ?? {}, signal: AbortSignal.timeout(timeoutMs) });
    if (response.ok) return { text: await response.text() };
    await response.body?.cancel();
    return { status: response.status, headers: response.headers };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

/**
 * One request at a time, each starting at least `intervalMs` after the one before ended (its answer
 * read, or its failure): arXiv asks for a single connection and a pause of 3 s between requests, and
 * counting from the end means no two requests ever reach the server closer than that.
 */
export class Pacer {
  private queue: Promise<unknown> = Promise.resolve();
  private nextStart = 0;

  constructor(
    private readonly intervalMs: number,
    private readonly sleep: (ms: number) => Promise<void> = delay,
    private readonly now: () => number = () => performance.now(),
  ) {}

  run<T>(request: () => Promise<T>): Promise<T> {
    const turn = this.queue.then(async () => {
      const wait = this.nextStart - this.now();
      // 1 ms more: timers may fire a little early.
      if (wait > 0) await this.sleep(Math.ceil(wait) + 1);
      try {
        return await request();
      } finally {
        this.nextStart = this.now() + this.intervalMs;
      }
    });
    this.queue = turn.catch(() => undefined);
    return turn;
  }
}

function backoffMs(attempt: number): number {
  return Math.min(30_000, 500 * 2 ** (attempt - 1));
}

function delay(ms: number): Promise<void> {
  return new Promise<void>((resolve) => setTimeout(resolve, ms));
}
