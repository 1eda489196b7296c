import { XMLParser } from 'fast-xml-parser';
import type { ZodError } from 'zod';
import { addDays } from '../../lib/days.js';
import { PaperSchema, type Paper } from '../../papers/paper.js';
import { getWithRetry, Pacer, SourceUnavailableError, type HttpOptions } from '../http.js';
import type { PaperSource, SourceDay } from '../source.js';
import { unwrap } from './hf-daily-papers.js';

/** arXiv's OAI-PMH base URL since 2025 (https://info.arxiv.org/help/oa/index.html). */
export const ARXIV_OAI_ENDPOINT = 'https://oaipmh.arxiv.org/oai';

/**
 * A record is a new submission when its first version was created at most this many days before
 * the day its record changed: announcements trail submissions by a day or two, by four over a
 * weekend and longer over holidays. Older records that change (a new version, a journal ref) are
 * updates, not news.
 */
const NEW_WITHIN_DAYS = 7;

export interface ArxivOaiOptions extends HttpOptions {
  endpoint?: string;
  /** "cs.CL", or a whole archive "cs.*". */
  categories: string[];
  /** Least time between two requests; arXiv's etiquette asks for 3 s. */
  intervalMs?: number;
  /** Called after each page (progress for a person waiting). */
  onPage?: (page: number, records: number) => void;
}

/** New arXiv submissions in the categories, as a PaperSource (not trending: no rank). */
export function arxivOaiSource(options: ArxivOaiOptions): PaperSource {
  const pace = new Pacer(options.intervalMs ?? 3_000, options.sleep);
  return { name: 'arxiv', trending: false, fetchDay: (date) => fetchArxivDay(date, options, pace) };
}

/**
 * Every record whose OAI datestamp is `date`, in each set the categories fall in, every page of
 * them (resumption tokens), kept when it is a new submission in one of the categories.
 */
async function fetchArxivDay(date: string, options: ArxivOaiOptions, pace: Pacer): Promise<SourceDay> {
  const papers = new Map<string, Paper>();
  const skipReasons: Record<string, number> = {};
  const skip = (reason: string) => (skipReasons[reason] = (skipReasons[reason] ?? 0) + 1);
  const wanted = categoryFilter(options.categories);
  let page = 0;
  for (const set of setsFor(options.categories)) {
    let query: Record<string, string> | undefined = { verb: 'ListRecords', metadataPrefix: 'arXiv', set, from: date, until: date };
    while (query) {
      const list = await listRecords(query, date, options, pace);
      options.onPage?.(page++, list.records.length);
      for (const record of list.records) {
        const result = toPaper(record, date);
        if ('reason' in result) skip(result.reason);
        else if (!result.categories?.some(wanted)) continue;
        else if (!isNew(result, date)) continue;
        else papers.set(result.id, result);
      }
      query = list.token ? { verb: 'ListRecords', resumptionToken: list.token } : undefined;
    }
  }
  const skipped = Object.values(skipReasons).reduce((sum, n) => sum + n, 0);
  return { date, papers: [...papers.values()], skipped, skipReasons };
}

/** The parts of an OAI-PMH response read here, as the parser gives them (text, or an element with attributes). */
interface OaiResponse {
  'OAI-PMH'?: {
    error?: Array<{ '@_code'?: string; '#text'?: string }>;
    ListRecords?: { record?: OaiRecord[]; resumptionToken?: string | { '#text'?: string } };
  };
}

interface OaiRecord {
  header?: { '@_status'?: string };
  metadata?: { arXiv?: ArxivMetadata };
}

/** arXiv's own metadata format (metadataPrefix=arXiv): https://info.arxiv.org/help/oa/index.html */
interface ArxivMetadata {
  id?: string;
  created?: string;
  title?: string;
  abstract?: string;
  categories?: string;
  authors?: { author?: Array<Record<string, string | undefined>> };
}

interface RecordList {
  records: OaiRecord[];
  /** The next page's token; absent or empty on the last page. */
  token?: string;
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  removeNSPrefix: true,
  // Ids such as 2405.00001 stay text, not numbers.
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  isArray: (name) => name === 'record' || name === 'author' || name === 'error',
});

async function listRecords(query: Record<string, string>, date: string, options: ArxivOaiOptions, pace: Pacer): Promise<RecordList> {
  const url = new URL(options.endpoint ?? ARXIV_OAI_ENDPOINT);
  url.search = new URLSearchParams(query).toString();
  const xml = await getWithRetry({ url, headers: { accept: 'text/xml' }, service: 'arXiv', what: date, pace }, options);
  let doc: OaiResponse;
  try {
    doc = parser.parse(xml, true) as OaiResponse;
  } catch (error) {
    throw new SourceUnavailableError(`arXiv answered with XML that does not parse for ${date}: ${(error as Error).message}`);
  }
  const root = doc['OAI-PMH'];
  if (!root) throw new SourceUnavailableError(`arXiv answered something other than an OAI-PMH response for ${date}`);
  const errors = root.error ?? [];
  // noRecordsMatch: nothing changed that day in that set, an empty day (OAI-PMH 2.0, section 3.6).
  if (errors.some((error) => error['@_code'] === 'noRecordsMatch')) return { records: [] };
  if (errors.length) {
    const [first] = errors;
    throw new SourceUnavailableError(
      `arXiv refused the harvest for ${date}: ${first!['@_code']}${first!['#text'] ? ` (${first!['#text']})` : ''}`,
    );
  }
  const list = root.ListRecords ?? {};
  const token = list.resumptionToken;
  const text = typeof token === 'string' ? token : token?.['#text'];
  return { records: list.record ?? [], ...(text ? { token: text } : {}) };
}

/** The record as a Paper, or why it cannot be one (a deleted record has no metadata). */
function toPaper(record: OaiRecord, date: string): Paper | { reason: string } {
  if (record?.header?.['@_status'] === 'deleted') return { reason: 'deleted record' };
  const meta = record?.metadata?.arXiv;
  if (!meta) return { reason: 'record: no arXiv metadata' };
  const id = String(meta.id ?? '').trim();
  const categories = String(meta.categories ?? '')
    .split(/\s+/)
    .filter(Boolean);
  const parsed = PaperSchema.safeParse({
    id,
    title: unwrap(String(meta.title ?? '')),
    abstract: unwrap(String(meta.abstract ?? '')),
    authors: (meta.authors?.author ?? []).map(authorName).filter(Boolean),
    publishedAt: String(meta.created ?? date).slice(0, 10),
    links: { arxiv: `https://arxiv.org/abs/${id}`, pdf: `https://arxiv.org/pdf/${id}` },
    categories,
    source: 'arxiv',
  });
  return parsed.success ? parsed.data : { reason: skipReason(parsed.error) };
}

/** "Forenames Keyname Suffix", as the paper prints it. */
function authorName(author: Record<string, string | undefined>): string {
  return [author.forenames, author.keyname, author.suffix].filter((part) => typeof part === 'string' && part.trim()).join(' ');
}

function skipReason(error: ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid record';
  const field = issue.path.join('.') || 'record';
  return `${field}: ${issue.code === 'invalid_type' || issue.code === 'too_small' ? 'missing or empty' : issue.message}`;
}

function isNew(paper: Paper, date: string): boolean {
  return !!paper.publishedAt && paper.publishedAt >= addDays(date, -NEW_WITHIN_DAYS) && paper.publishedAt <= date;
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
