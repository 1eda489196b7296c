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
  const { url, service, what } = request;
  const attempts = options.attempts ?? 4;
  const sleep = options.sleep ?? delay;
  let problem = '';
  for (let attempt = 1; attempt <= attempts; attempt++) {
    await request.pace?.turn();
    let response: Response;
    let body: string | undefined;
    try {
      response = await fetch(url, { headers: request.headers ?? {}, signal: AbortSignal.timeout(options.timeoutMs ?? 15_000) });
      if (response.ok) body = await response.text();
      else await response.body?.cancel();
    } catch (error) {
      problem = `network error: ${(error as Error).message}`;
      if (attempt < attempts) await sleep(backoffMs(attempt));
      continue;
    } finally {
      request.pace?.finished();
    }
    if (body !== undefined) return body;
    problem = `HTTP ${response.status}`;
    if (!(response.status === 429 || response.status >= 500))
      throw new SourceUnavailableError(`${service} answered ${problem} for ${what}`);
    const wait = retryDelayMs(response.headers) ?? backoffMs(attempt);
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

/**
 * Spaces requests at least `intervalMs` apart, however many callers share it: from one start to the
 * next, and from the end of one exchange (its body read, or its failure) to the next start, so that
 * a slow answer never lets two requests reach the server closer than the interval.
 */
export class Pacer {
  private next = 0;

  constructor(
    private readonly intervalMs: number,
    private readonly sleep: (ms: number) => Promise<void> = delay,
    private readonly now: () => number = () => performance.now(),
  ) {}

  async turn(): Promise<void> {
    const at = Math.max(this.now(), this.next);
    this.next = at + this.intervalMs;
    const wait = at - this.now();
    // 1 ms more: timers may fire a little early.
    if (wait > 0) await this.sleep(Math.ceil(wait) + 1);
  }

  /** The exchange that took the last turn has ended. */
  finished(): void {
    this.next = Math.max(this.next, this.now() + this.intervalMs);
  }
}

function backoffMs(attempt: number): number {
  return Math.min(30_000, 500 * 2 ** (attempt - 1));
}

function delay(ms: number): Promise<void> {
  return new Promise<void>((resolve) => setTimeout(resolve, ms));
}
