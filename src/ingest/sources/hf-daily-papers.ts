import type { ZodError } from 'zod';
import { PaperSchema, type Paper } from '../../papers/paper.js';
import { DailyPaperItemSchema } from './hf-daily-papers-schema.js';
import { getWithRetry, SourceUnavailableError, type HttpOptions, type Pacer } from '../http.js';
import type { PaperSource, SourceDay } from '../source.js';

export const HF_ENDPOINT = 'https://huggingface.co';

export interface HfClientOptions extends HttpOptions {
  /** `HF_ENDPOINT`; the public hub by default. */
  endpoint?: string;
  /** `HF_TOKEN`, sent as a bearer token when set. */
  token?: string;
  /** Items per page (the API's `limit`). */
  pageSize?: number;
  /** Spaces requests within the Hub's published rate limit (a backfill); none by default. */
  pace?: Pacer;
  /** Called after each page is fetched (progress for a person waiting). */
  onPage?: (page: number, items: number) => void;
}

/**
 * Requests a backfill spaces out: the Hub allows 500 API requests per 5-minute window to an anonymous
 * client and 1,000 to a signed-in free user (https://huggingface.co/docs/hub/rate-limits). One request
 * every 0.75 s (0.375 s with HF_TOKEN) uses 80% of that, leaving room for the running bot's refresh.
 */
export function hubIntervalMs(token: string | undefined): number {
  return token ? 375 : 750;
}

/** Daily Papers as a PaperSource: each day's list, in trending order. */
export function hfDailyPapersSource(options: HfClientOptions): PaperSource {
  return { name: 'hf', trending: true, fetchDay: (date) => fetchDailyPapers(date, options) };
}

/** The day's Daily Papers in trending order (rank 1 first), every page of them. */
export async function fetchDailyPapers(date: string, options: HfClientOptions = {}): Promise<SourceDay> {
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
  const text = await getWithRetry(
    { url, headers, service: 'Hugging Face', what: date, ...(options.pace ? { pace: options.pace } : {}) },
    options,
  );
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (!Array.isArray(body))
    throw new SourceUnavailableError(`Hugging Face answered ${url.pathname} with something other than a JSON array`);
  return body;
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
