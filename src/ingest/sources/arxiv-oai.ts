import type { Logger } from '../../lib/logger.js';
import type { Paper } from '../../papers/paper.js';
import type { PaperSource, SourceDay } from '../source.js';
import { type OaiRecord, OaiResponseError, parseListRecords, toArxivRecord } from './arxiv-oai-page.js';
import { RequestPacer } from './request-pacer.js';
import { retryDelayMs } from './retry-after.js';

/**
 * arXiv's OAI-PMH base URL as its help page gives it today: "arXiv supports OAI_PMH v2.0 at the
 * baseURL https://oaipmh.arxiv.org/oai" (https://info.arxiv.org/help/oa/index.html; older copies of
 * the page name http://export.arxiv.org/oai2, the interface it replaced).
 */
export const ARXIV_OAI_ENDPOINT = 'https://oaipmh.arxiv.org/oai';

export interface ArxivOaiOptions {
  /** OAI-PMH base URL; arXiv's by default. */
  endpoint?: string;
  /** Categories kept: "cs.CL", or a whole archive "cs.*"; a paper is kept when any of its categories matches. */
  categories?: readonly string[];
  /**
   * The OAI set harvested; by default derived from the categories (all in "cs" → set "cs"), and none
   * (the whole of arXiv, filtered here) when they span archives. `null` forces no set.
   */
  set?: string | null;
  /**
   * A record is a new submission when its first version (`created`) is at most this many days
   * before the day harvested. The datestamp is the record's last change, so a day's list also holds
   * replacements, and old papers whose metadata changed (a journal reference added); their first
   * version is weeks or years older. A new paper is announced one to four days after submission
   * (weekends, holidays), so 7 keeps every new paper and drops every replacement older than a week.
   * A replacement within the week is returned again; the store merges it by id.
   */
  newWithinDays?: number;
  /** Between the end of one request and the start of the next: arXiv asks for one request every 3 s. */
  intervalMs?: number;
  /** Attempts per page for 503 (arXiv's flow control), other 5xx, 429 and network errors; GET is safe to repeat. */
  attempts?: number;
  /** Longest wait for one retry; a longer Retry-After fails the day instead of hanging a job. */
  maxWaitMs?: number;
  /** Per request, the whole body included. */
  timeoutMs?: number;
  /** Retries are warnings; each day's counts are logged at info, each skipped record at debug. */
  logger?: Logger;
  sleep?: (ms: number) => Promise<void>;
}

type Tunable = 'categories' | 'newWithinDays' | 'intervalMs' | 'attempts' | 'maxWaitMs' | 'timeoutMs';
type Settings = Required<Pick<ArxivOaiOptions, Tunable | 'sleep'>> & Omit<ArxivOaiOptions, Tunable | 'sleep'>;

export const ARXIV_OAI_DEFAULTS: Readonly<Required<Pick<ArxivOaiOptions, Tunable>>> = {
  categories: ['cs.CL', 'cs.LG'],
  newWithinDays: 7,
  intervalMs: 3_000,
  attempts: 5,
  maxWaitMs: 120_000,
  timeoutMs: 90_000,
};

export class ArxivUnavailableError extends Error {
  override name = 'ArxivUnavailableError';
}

/** New arXiv submissions in the configured categories, one UTC day at a time, harvested over OAI-PMH. */
export function createArxivOaiSource(options: ArxivOaiOptions = {}): PaperSource {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const settings = { ...ARXIV_OAI_DEFAULTS, ...withoutUndefined(options), sleep };
  // One pacer per source: consecutive days, and retries, keep the interval too.
  const pacer = new RequestPacer(settings.intervalMs, sleep);
  return {
    name: 'arxiv',
    trending: false,
    fetchDay: (date) => harvestDay(date, settings, pacer),
  };
}

async function harvestDay(date: string, settings: Settings, pacer: RequestPacer): Promise<SourceDay> {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new RangeError(`expected a date as YYYY-MM-DD, got ${JSON.stringify(date)}`);
  const keep = categoryFilter(settings.categories);
  const set = settings.set === undefined ? setFor(settings.categories) : settings.set;
  const [oldest, newest] = [addDays(date, -settings.newWithinDays), addDays(date, 1)];
  const papers = new Map<string, Paper>();
  const skipReasons: Record<string, number> = {};
  const counts = { records: 0, outsideCategories: 0, notNew: 0 };
  for await (const record of listRecords(date, set, settings, pacer)) {
    counts.records++;
    const arxiv = record.deleted ? { reason: 'deleted record' } : toArxivRecord(record.metadata);
    if ('reason' in arxiv) {
      skipReasons[arxiv.reason] = (skipReasons[arxiv.reason] ?? 0) + 1;
      settings.logger?.debug('arxiv: skipped a record', { date, identifier: record.identifier, reason: arxiv.reason });
    } else if (!arxiv.categories.some(keep)) counts.outsideCategories++;
    else if (arxiv.created < oldest || arxiv.created > newest) counts.notNew++;
    else if (!papers.has(arxiv.id)) papers.set(arxiv.id, arxiv.paper);
  }
  const skipped = Object.values(skipReasons).reduce((sum, n) => sum + n, 0);
  settings.logger?.info('arxiv: harvested a day', { date, set: set ?? 'all', ...counts, kept: papers.size, skipped });
  return { date, papers: [...papers.values()], skipped, skipReasons };
}

/** Every record of the day's list, page after page (ListRecords, then its resumptionTokens). */
async function* listRecords(
  date: string,
  set: string | null | undefined,
  settings: Settings,
  pacer: RequestPacer,
): AsyncGenerator<OaiRecord> {
  let query: Record<string, string> = { verb: 'ListRecords', metadataPrefix: 'arXiv', from: date, until: date, ...(set ? { set } : {}) };
  const tokens = new Set<string>();
  for (let page = 0; ; page++) {
    const response = parseOrFail(await request(query, date, settings, pacer), date);
    if (response.error) {
      // OAI-PMH 3.6: noRecordsMatch is how a repository says "an empty list"; only the first request can mean that.
      if (response.error.code === 'noRecordsMatch' && page === 0) return;
      throw new ArxivUnavailableError(`arXiv OAI-PMH error for ${date}: ${response.error.code}: ${response.error.message}`.trim());
    }
    yield* response.records;
    // OAI-PMH 3.5: the page that completes the list carries an empty resumptionToken (arXiv's new server omits it).
    const token = response.resumptionToken;
    if (!token) return;
    if (tokens.has(token))
      throw new ArxivUnavailableError(`arXiv OAI-PMH sent the same resumptionToken twice for ${date}; the list would never end`);
    tokens.add(token);
    query = { verb: 'ListRecords', resumptionToken: token };
  }
}

function parseOrFail(xml: string, date: string) {
  try {
    return parseListRecords(xml);
  } catch (error) {
    if (error instanceof OaiResponseError) throw new ArxivUnavailableError(`${error.message} (${date})`);
    throw error;
  }
}

/** One page's body, after as many paced attempts as it takes (or an ArxivUnavailableError). */
async function request(query: Record<string, string>, date: string, settings: Settings, pacer: RequestPacer): Promise<string> {
  const url = new URL(settings.endpoint ?? ARXIV_OAI_ENDPOINT);
  url.search = new URLSearchParams(query).toString();
  let lastProblem = '';
  for (let attempt = 1; attempt <= settings.attempts; attempt++) {
    const outcome = await pacer.run(() => exchange(url, settings.timeoutMs));
    if ('body' in outcome) return outcome.body;
    lastProblem = outcome.problem;
    if (!outcome.retryable) throw new ArxivUnavailableError(`arXiv OAI-PMH answered ${lastProblem} for ${date}`);
    const wait = outcome.waitMs ?? backoffMs(attempt, settings.intervalMs);
    if (wait > settings.maxWaitMs)
      throw new ArxivUnavailableError(
        `arXiv OAI-PMH asked to wait ${Math.ceil(wait / 1000)} s (${lastProblem}), longer than the ${Math.ceil(settings.maxWaitMs / 1000)} s allowed; ${date} not harvested`,
      );
    if (attempt < settings.attempts) {
      settings.logger?.warn('arxiv: retrying', { date, attempt, problem: lastProblem, waitMs: wait });
      await settings.sleep(wait);
    }
  }
  throw new ArxivUnavailableError(`arXiv OAI-PMH unavailable for ${date} after ${settings.attempts} attempts (${lastProblem})`);
}

type Exchange = { body: string } | { problem: string; retryable: boolean; waitMs?: number };

async function exchange(url: URL, timeoutMs: number): Promise<Exchange> {
  try {
    const response = await fetch(url, {
      headers: { accept: 'text/xml, application/xml', 'user-agent': 'paperboy (arXiv OAI-PMH harvester; one request per 3 s)' },
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (response.ok) return { body: await response.text() };
    await response.body?.cancel();
    // arXiv implements flow control with 503 Retry-After (help page, "Play nice"); 429 and other 5xx are retried too.
    const retryable = response.status === 429 || response.status >= 500;
    return { problem: `HTTP ${response.status}`, retryable, waitMs: retryable ? retryDelayMs(response.headers) : undefined };
  } catch (error) {
    const problem =
      (error as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : `network error: ${(error as Error).message}`;
    return { problem, retryable: true };
  }
}

function backoffMs(attempt: number, intervalMs: number): number {
  return Math.min(60_000, Math.max(intervalMs, 1_000) * 2 ** attempt);
}

/** "cs.CL" matches itself; "cs.*" (or "cs") matches the archive and every category in it. */
export function categoryFilter(patterns: readonly string[]): (category: string) => boolean {
  const exact = new Set(patterns.filter((p) => !p.endsWith('.*')));
  const archives = patterns.filter((p) => p.endsWith('.*')).map((p) => p.slice(0, -2));
  return (category) =>
    exact.has(category) || exact.has(archiveOf(category)) || archives.some((a) => category === a || category.startsWith(`${a}.`));
}

// arXiv's sets: a group for each of these archives, and "physics:<archive>" for the physics archives (help page, "Sets").
const GROUP_ARCHIVES = new Set(['cs', 'econ', 'eess', 'math', 'q-bio', 'q-fin', 'stat']);
const PHYSICS_ARCHIVES = new Set([
  'astro-ph',
  'cond-mat',
  'gr-qc',
  'hep-ex',
  'hep-lat',
  'hep-ph',
  'hep-th',
  'math-ph',
  'nlin',
  'nucl-ex',
  'nucl-th',
  'physics',
  'quant-ph',
]);

/** The one OAI set holding every configured category, or undefined (harvest all, filter here). */
export function setFor(patterns: readonly string[]): string | undefined {
  const archives = new Set(patterns.map(archiveOf));
  if (archives.size !== 1) return undefined;
  const [archive = ''] = archives;
  if (GROUP_ARCHIVES.has(archive)) return archive;
  return PHYSICS_ARCHIVES.has(archive) ? `physics:${archive}` : undefined;
}

function archiveOf(category: string): string {
  return category.split('.')[0] ?? category;
}

function addDays(date: string, days: number): string {
  if (!Number.isFinite(days)) return days > 0 ? '9999-12-31' : '0000-01-01';
  const at = new Date(`${date}T00:00:00Z`);
  at.setUTCDate(at.getUTCDate() + days);
  return at.toISOString().slice(0, 10);
}

function withoutUndefined<T extends object>(options: T): Partial<T> {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as Partial<T>;
}
