import { addDays } from '../../lib/days.js';
import type { Paper } from '../../papers/paper.js';
import { getWithRetry, type HttpOptions, Pacer, SourceUnavailableError } from '../http.js';
import type { PaperSource, SourceDay } from '../source.js';
import { type OaiRecord, OaiResponseError, parseListRecords, toArxivRecord } from './arxiv-oai-page.js';

/**
 * arXiv's OAI-PMH base URL as its help page gives it today: "arXiv supports OAI_PMH v2.0 at the
 * baseURL https://oaipmh.arxiv.org/oai" (https://info.arxiv.org/help/oa/index.html; older copies of
 * the page name http://export.arxiv.org/oai2, the interface it replaced).
 */
export const ARXIV_OAI_ENDPOINT = 'https://oaipmh.arxiv.org/oai';

export interface ArxivOaiOptions extends HttpOptions {
  endpoint?: string;
  /** "cs.CL", or a whole archive "cs.*"; a paper is kept when any of its categories matches. */
  categories: string[];
  /**
   * A record is a new submission when its first version (`created`) is at most this many days
   * before the day harvested (7 by default). The datestamp is the record's last change, so a day's
   * list also holds replacements and old papers whose metadata changed (a journal reference added),
   * whose first version is weeks or years older. A new paper is announced one to four days after
   * submission (weekends; longer over holidays), so a week keeps every new paper and drops every
   * replacement older than that. A replacement within the week is returned again; the store merges by id.
   */
  newWithinDays?: number;
  /** Least time from the end of one request to the start of the next: arXiv's etiquette asks for 3 s. */
  intervalMs?: number;
  /** Called after each page (progress for a person waiting). */
  onPage?: (page: number, records: number) => void;
}

const NEW_WITHIN_DAYS = 7;
/**
 * arXiv writes a day's records to OAI-PMH after it announces them, "by 10pm EST Sunday through
 * Thursday" (arxiv.org/help/oa): 03:00 UTC the next day. A day fetched before then is fetched again.
 */
const ARXIV_SETTLES_AFTER_MS = 6 * 3_600_000;
/** A page holds up to 2,000 records (arXiv's server, oai_config.py), and arXiv answers slowly when busy. */
const TIMEOUT_MS = 90_000;

/** New arXiv submissions in the categories, as a PaperSource (not trending: no rank). */
export function arxivOaiSource(options: ArxivOaiOptions): PaperSource {
  // One pacer per source: pages, days and retries all keep the interval.
  const pace = new Pacer(options.intervalMs ?? 3_000, options.sleep);
  return { name: 'arxiv', trending: false, settlesAfterMs: ARXIV_SETTLES_AFTER_MS, fetchDay: (date) => fetchArxivDay(date, options, pace) };
}

/**
 * Every record whose OAI datestamp is `date`, in each set the categories fall in, every page of
 * them (resumption tokens), kept when it is a new submission in one of the categories.
 */
async function fetchArxivDay(date: string, options: ArxivOaiOptions, pace: Pacer): Promise<SourceDay> {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new RangeError(`expected a date as YYYY-MM-DD, got ${JSON.stringify(date)}`);
  const wanted = categoryFilter(options.categories);
  const newWithinDays = options.newWithinDays ?? NEW_WITHIN_DAYS;
  const [oldest, newest] = [Number.isFinite(newWithinDays) ? addDays(date, -newWithinDays) : '', date];
  const papers = new Map<string, Paper>();
  const skipReasons: Record<string, number> = {};
  const counts = { records: 0, outsideCategories: 0, notNew: 0 };
  const sets = setsFor(options.categories);
  for (const set of sets) {
    for await (const record of listRecords(date, set, options, pace)) {
      counts.records++;
      const arxiv = record.deleted ? { reason: 'deleted record' } : toArxivRecord(record.metadata);
      if ('reason' in arxiv) {
        // One unusable record costs that record, never the day.
        skipReasons[arxiv.reason] = (skipReasons[arxiv.reason] ?? 0) + 1;
        options.logger?.debug('arxiv: skipped a record', { date, identifier: record.identifier, reason: arxiv.reason });
      } else if (!arxiv.categories.some(wanted)) counts.outsideCategories++;
      else if (arxiv.created < oldest || arxiv.created > newest) counts.notNew++;
      // A paper cross-listed in two sets comes twice: it is one paper.
      else if (!papers.has(arxiv.id)) papers.set(arxiv.id, arxiv.paper);
    }
  }
  const skipped = Object.values(skipReasons).reduce((sum, n) => sum + n, 0);
  options.logger?.info('arxiv: harvested a day', { date, sets, ...counts, kept: papers.size, skipped });
  return { date, papers: [...papers.values()], skipped, skipReasons };
}

/** Every record of one set's list for the day, page after page (ListRecords, then its resumptionTokens). */
async function* listRecords(date: string, set: string, options: ArxivOaiOptions, pace: Pacer): AsyncGenerator<OaiRecord> {
  let query: Record<string, string> = { verb: 'ListRecords', metadataPrefix: 'arXiv', set, from: date, until: date };
  const tokens = new Set<string>();
  for (let page = 0; ; page++) {
    const url = new URL(options.endpoint ?? ARXIV_OAI_ENDPOINT);
    url.search = new URLSearchParams(query).toString();
    const xml = await getWithRetry(
      { url, headers: { accept: 'text/xml, application/xml' }, service: 'arXiv', what: `${date} (set ${set})`, pace },
      { ...options, timeoutMs: options.timeoutMs ?? TIMEOUT_MS },
    );
    const response = parseOrFail(xml, date);
    if (response.error) {
      // OAI-PMH 2.0, 3.6: noRecordsMatch is how a repository says "an empty list"; only a first request can mean that.
      if (response.error.code === 'noRecordsMatch' && page === 0) return;
      throw new SourceUnavailableError(
        `arXiv OAI-PMH error for ${date} (set ${set}): ${response.error.code}: ${response.error.message}`.trim(),
      );
    }
    options.onPage?.(page, response.records.length);
    yield* response.records;
    // OAI-PMH 2.0, 3.5: the page that completes the list carries an empty resumptionToken (arXiv's new server omits it).
    const token = response.resumptionToken;
    if (!token) return;
    if (tokens.has(token))
      throw new SourceUnavailableError(`arXiv sent the same resumptionToken twice for ${date}; the list would never end`);
    tokens.add(token);
    query = { verb: 'ListRecords', resumptionToken: token };
  }
}

function parseOrFail(xml: string, date: string) {
  try {
    return parseListRecords(xml);
  } catch (error) {
    if (error instanceof OaiResponseError) throw new SourceUnavailableError(`${error.message} (${date})`);
    throw error;
  }
}

/** Whether a category ("cs.CL") is one of those asked for ("cs.CL", "cs.*", or an archive "hep-th"). */
export function categoryFilter(wanted: string[]): (category: string) => boolean {
  return (category) =>
    wanted.some((want) =>
      want.endsWith('.*') ? category.startsWith(want.slice(0, -1)) || category === want.slice(0, -2) : category === want,
    );
}

/** Physics archives are sub-sets of "physics" (https://info.arxiv.org/help/oa/index.html); the rest are sets of their own. */
export const PHYSICS_ARCHIVES: ReadonlySet<string> = new Set([
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

/** The OAI sets to harvest for the categories: one per archive ("cs", "physics:hep-th"), never all of arXiv. */
export function setsFor(categories: string[]): string[] {
  const archives = categories.map((category) => category.split('.')[0]!);
  return [...new Set(archives.map((archive) => (PHYSICS_ARCHIVES.has(archive) ? `physics:${archive}` : archive)))];
}
