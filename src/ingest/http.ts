import type { Logger } from '../lib/logger.js';
import { retryDelayMs } from './sources/retry-after.js';

/** A source could not be reached, or refused: the day fails, the other days go on. */
export class SourceUnavailableError extends Error {
  override name = 'SourceUnavailableError';
}

/**
 * Spaces the requests of one source: each waits until `minIntervalMs` after the previous one
 * started. Requests through one gate are serialised (concurrency 1), whoever calls.
 */
export interface RequestGate {
  wait(): Promise<void>;
}

export function requestGate(minIntervalMs: number, sleep: (ms: number) => Promise<void> = defaultSleep): RequestGate {
  let last = -Infinity;
  let queue: Promise<void> = Promise.resolve();
  return {
    wait() {
      const turn = queue.then(async () => {
        const wait = last + minIntervalMs - Date.now();
        if (wait > 0) await sleep(wait);
        last = Date.now();
      });
      queue = turn.catch(() => undefined);
      return turn;
    },
  };
}

export interface GetOptions {
  /** Who is asked, for errors and logs: "Hugging Face", "arXiv". */
  service: string;
  /** What is being fetched, for errors: "for 2025-03-28". */
  what?: string;
  headers?: Record<string, string>;
  /** Attempts for 429, 5xx and network errors (GET is safe to repeat); 4 by default. */
  attempts?: number;
  /** Longest wait for one retry; a longer Retry-After fails the fetch instead of hanging a job. 60 s by default. */
  maxWaitMs?: number;
  /** Per request, headers and body; 15 s by default. */
  timeoutMs?: number;
  /** The source's spacing between requests (its published rate limit); none by default. */
  gate?: RequestGate;
  /** Stops waiting and fetching (Ctrl-C): the fetch fails at once. */
  signal?: AbortSignal;
  logger?: Logger;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * GET with bounded retries: 429 and 5xx and network errors are retried, waiting what the server
 * asked (`Retry-After` in seconds or as an HTTP date, or the `RateLimit` reset) or else an
 * exponential backoff; a wait longer than `maxWaitMs` fails at once. Resolves with an OK response
 * whose body is unread (and read within the same timeout); any other status fails without retry.
 */
export async function getWithRetry(url: URL, options: GetOptions): Promise<Response> {
  const attempts = options.attempts ?? 4;
  const sleep = options.sleep ?? defaultSleep;
  const what = options.what ? ` ${options.what}` : '';
  let lastProblem = '';
  for (let attempt = 1; attempt <= attempts; attempt++) {
    options.signal?.throwIfAborted();
    await options.gate?.wait();
    let response: Response;
    try {
      const timeout = AbortSignal.timeout(options.timeoutMs ?? 15_000);
      response = await fetch(url, {
        headers: options.headers ?? {},
        signal: options.signal ? AbortSignal.any([timeout, options.signal]) : timeout,
      });
    } catch (error) {
      options.signal?.throwIfAborted();
      lastProblem = `network error: ${(error as Error).message}`;
      if (attempt < attempts) await sleep(backoffMs(attempt));
      continue;
    }
    if (response.ok) return response;
    await response.body?.cancel();
    lastProblem = `HTTP ${response.status}`;
    const retryable = response.status === 429 || response.status >= 500;
    if (!retryable) throw new SourceUnavailableError(`${options.service} answered ${lastProblem}${what}`);
    const wait = retryDelayMs(response.headers) ?? backoffMs(attempt);
    if (wait > (options.maxWaitMs ?? 60_000)) {
      throw new SourceUnavailableError(`${options.service} rate limit: retry in ${Math.ceil(wait / 1000)} s`);
    }
    options.logger?.warn(`${options.service}: retrying`, { url: url.pathname, problem: lastProblem, waitMs: wait });
    if (attempt < attempts) await sleep(wait);
  }
  throw new SourceUnavailableError(`${options.service} unavailable${what} after ${attempts} attempts (${lastProblem})`);
}

function backoffMs(attempt: number): number {
  return Math.min(30_000, 500 * 2 ** (attempt - 1));
}

function defaultSleep(ms: number): Promise<void> {
  return new Promise<void>((resolve) => setTimeout(resolve, ms));
}
