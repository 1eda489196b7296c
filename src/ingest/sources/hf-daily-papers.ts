import type { Logger } from '../../lib/logger.js';
import type { ZodError } from 'zod';
import { PaperSchema, type Paper } from '../../papers/paper.js';
import { DailyPaperItemSchema } from './hf-daily-papers-schema.js';
import { retryDelayMs } from './retry-after.js';

export const HF_ENDPOINT = 'https://huggingface.co';

export interface HfClientOptions {
  /** `HF_ENDPOINT`; the public hub by default. */
  endpoint?: string;
  /** `HF_TOKEN`, sent as a bearer token when set. */
  token?: string;
  /** Items per page (the API's `limit`). */
  pageSize?: number;
  /** Attempts per page for 429, 5xx and network errors; GET is safe to repeat. */
  attempts?: number;
  /** Longest wait for one retry; a longer Retry-After fails the fetch instead of hanging a job. */
  maxWaitMs?: number;
  timeoutMs?: number;
  /** Skipped items and retries are logged as warnings. */
  logger?: Logger;
  sleep?: (ms: number) => Promise<void>;
  /** Called after each page is fetched (progress for a person waiting). */
  onPage?: (page: number, items: number) => void;
}

export interface DailyPapers {
  date: string;
  papers: Paper[];
  /** Items that could not be used (no id, no title, ...), skipped. */
  skipped: number;
  /** Why items were skipped: a short reason a person can read, and how many items it cost. */
  skipReasons: Record<string, number>;
}

export class HfUnavailableError extends Error {
  override name = 'HfUnavailableError';
}

/** The day's Daily Papers in trending order (rank 1 first), every page of them. */
export async function fetchDailyPapers(date: string, options: HfClientOptions = {}): Promise<DailyPapers> {
  const pageSize = options.pageSize ?? 100;
  const papers: Paper[] = [];
  const skipReasons: Record<string, number> = {};
  for (let page = 0; ; page++) {
    const items = await fetchPage(date, page, pageSize, options);
    options.onPage?.(page, items.length);
    for (const raw of items) {
      // One unusable item costs that item, never the day: each is checked on its own.
      const paper = toPaper(raw, date, papers.length + 1);
      if ('reason' in paper) {
        skipReasons[paper.reason] = (skipReasons[paper.reason] ?? 0) + 1;
        options.logger?.debug('hf: skipped an item', { date, page, reason: paper.reason });
      } else {
        papers.push(paper);
      }
    }
    if (items.length < pageSize) break;
  }
  const skipped = Object.values(skipReasons).reduce((sum, n) => sum + n, 0);
  return { date, papers, skipped, skipReasons };
}

async function fetchPage(date: string, page: number, pageSize: number, options: HfClientOptions): Promise<unknown[]> {
  const url = new URL('/api/daily_papers', options.endpoint ?? HF_ENDPOINT);
  url.search = new URLSearchParams({ date, limit: String(pageSize), p: String(page) }).toString();
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const attempts = options.attempts ?? 4;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  let lastProblem = '';
  for (let attempt = 1; attempt <= attempts; attempt++) {
    let response: Response;
    try {
      response = await fetch(url, { headers, signal: AbortSignal.timeout(options.timeoutMs ?? 15_000) });
    } catch (error) {
      lastProblem = `network error: ${(error as Error).message}`;
      if (attempt < attempts) await sleep(backoffMs(attempt));
      continue;
    }
    if (response.ok) {
      const body: unknown = await response.json().catch(() => undefined);
      if (!Array.isArray(body))
        throw new HfUnavailableError(`Hugging Face answered ${url.pathname} with something other than a JSON array`);
      return body;
    }
    await response.body?.cancel();
    lastProblem = `HTTP ${response.status}`;
    const retryable = response.status === 429 || response.status >= 500;
    if (!retryable) throw new HfUnavailableError(`Hugging Face answered ${lastProblem} for ${date}`);
    const wait = retryDelayMs(response.headers) ?? backoffMs(attempt);
    if (wait > (options.maxWaitMs ?? 60_000)) throw new HfUnavailableError(`Hugging Face rate limit: retry in ${Math.ceil(wait / 1000)} s`);
    options.logger?.warn('hf: retrying', { date, page, problem: lastProblem, waitMs: wait });
    if (attempt < attempts) await sleep(wait);
  }
  throw new HfUnavailableError(`Hugging Face unavailable for ${date} after ${attempts} attempts (${lastProblem})`);
}

function backoffMs(attempt: number): number {
  return Math.min(30_000, 500 * 2 ** (attempt - 1));
}

/** The item as a Paper, or why it cannot be one. */
function toPaper(raw: unknown, date: string, rank: number): Paper | { reason: string } {
  const item = DailyPaperItemSchema.safeParse(raw);
  if (!item.success) return { reason: skipReason(item.error) };
  const { paper } = item.data;
  const parsed = PaperSchema.safeParse({
    id: paper.id,
    title: unwrap(paper.title),
    abstract: unwrap(paper.summary),
    authors: paper.authors.map((author) => author.name),
    publishedAt: paper.publishedAt?.slice(0, 10),
    upvotes: paper.upvotes,
    links: {
      page: `https://huggingface.co/papers/${paper.id}`,
      arxiv: `https://arxiv.org/abs/${paper.id}`,
      pdf: `https://arxiv.org/pdf/${paper.id}`,
      code: paper.githubRepo,
      project: paper.projectPage,
    },
    trending: { date, rank },
    keywords: paper.ai_keywords,
    aiSummary: paper.ai_summary,
    source: 'hf-daily-papers',
  });
  return parsed.success ? parsed.data : { reason: skipReason(parsed.error) };
}

/** "paper.title: missing or empty" rather than a ZodError: the first problem, in a few words. */
export function skipReason(error: ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid item';
  const field = issue.path.join('.') || 'item';
  const what = issue.code === 'invalid_type' || issue.code === 'too_small' ? 'missing or empty' : issue.message;
  return `${field}: ${what}`;
}

/** Abstracts come hard-wrapped at ~80 columns; paragraphs are kept apart by one space like lines. */
export function unwrap(text: string): string {
  return text
    .replace(/-\n(?=[a-z])/g, '-')
    .replace(/\s*\n\s*/g, ' ')
    .replace(/[ \t]{2,}/g, ' ')
    .trim();
}
