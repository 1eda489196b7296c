import { XMLParser } from 'fast-xml-parser';
import { z } from 'zod';
import { type Paper, PaperSchema } from '../../papers/paper.js';
import { skipReason, unwrap } from './hf-daily-papers.js';

/**
 * One OAI-PMH `ListRecords` response in arXiv's `arXiv` metadata format, as arXiv's own server
 * writes it (github.com/arXiv/arxiv-oaipmh, templates/record_formats.xml) and as OAI-PMH 2.0 defines
 * the envelope (openarchives.org/OAI/openarchivesprotocol.html: 3.5 flow control, 3.6 errors,
 * 2.5.1 deleted records).
 */
export interface ListRecordsPage {
  records: OaiRecord[];
  /** The token to ask for the next page with; absent or empty when the list is complete. */
  resumptionToken?: string;
  /** An OAI-PMH error (`noRecordsMatch`, `badArgument`, ...) in place of records. */
  error?: { code: string; message: string };
}

export type OaiRecord =
  | { deleted: true; identifier: string }
  | { deleted: false; identifier: string; datestamp: string; metadata: unknown };

export class OaiResponseError extends Error {
  override name = 'OaiResponseError';
}

// Elements that may occur once or many times are always arrays, so that one record looks like many.
const REPEATED = new Set(['OAI-PMH.error', 'OAI-PMH.ListRecords.record', 'OAI-PMH.ListRecords.record.metadata.arXiv.authors.author']);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  // The OAI envelope and arXiv's metadata each use a default namespace; a server may prefix them instead.
  removeNSPrefix: true,
  // Text stays text: an id such as "2503.12340" must not become the number 2503.1234.
  parseTagValue: false,
  parseAttributeValue: false,
  // Decodes numeric character references (&#233;), which XML allows anywhere; the option's name is historical.
  htmlEntities: true,
  isArray: (_name, jpath) => REPEATED.has(String(jpath)),
});

const Text = z.string();
const HeaderSchema = z.object({ identifier: Text, datestamp: Text.optional(), '@_status': Text.optional() });
const EnvelopeSchema = z.object({
  'OAI-PMH': z.object({
    error: z.array(z.union([Text, z.object({ '#text': Text.optional(), '@_code': Text })])).optional(),
    ListRecords: z
      .union([
        z.literal(''),
        z.object({
          record: z.array(z.object({ header: HeaderSchema, metadata: z.unknown().optional() })).default([]),
          resumptionToken: z.union([Text, z.object({ '#text': Text.optional() })]).optional(),
        }),
      ])
      .optional(),
  }),
});

/** The page, or an OaiResponseError when the body is not an OAI-PMH ListRecords response. */
export function parseListRecords(xml: string): ListRecordsPage {
  let document: unknown;
  try {
    document = parser.parse(xml);
  } catch (error) {
    throw new OaiResponseError(`arXiv answered with XML that does not parse: ${(error as Error).message}`);
  }
  const envelope = EnvelopeSchema.safeParse(document);
  if (!envelope.success)
    throw new OaiResponseError(`arXiv answered with something other than an OAI-PMH response (${skipReason(envelope.error)})`);
  const oai = envelope.data['OAI-PMH'];
  const [error] = oai.error ?? [];
  if (error !== undefined) {
    return typeof error === 'string'
      ? { records: [], error: { code: 'unknown', message: error } }
      : { records: [], error: { code: error['@_code'], message: error['#text'] ?? '' } };
  }
  if (oai.ListRecords === undefined) throw new OaiResponseError('arXiv answered without ListRecords or an error');
  if (oai.ListRecords === '') return { records: [] };
  const token = oai.ListRecords.resumptionToken;
  const resumptionToken = (typeof token === 'string' ? token : token?.['#text'])?.trim() || undefined;
  const records = oai.ListRecords.record.map(({ header, metadata }): OaiRecord => {
    // OAI-PMH 2.0, 2.5.1: a deleted record is a header with status="deleted" and no metadata.
    if (header['@_status'] === 'deleted') return { deleted: true, identifier: header.identifier };
    return { deleted: false, identifier: header.identifier, datestamp: header.datestamp ?? '', metadata };
  });
  return { records, resumptionToken };
}

/** New style "2503.12345" (2007 on) or old style "hep-th/9901001", "math.AG/0601001"; no version. */
const ARXIV_ID = /^(\d{4}\.\d{4,5}|[a-z-]+(\.[A-Z]{2})?\/\d{7})$/;
const isoDate = /^\d{4}-\d{2}-\d{2}$/;
const AuthorSchema = z.object({ keyname: Text, forenames: Text.optional(), suffix: Text.optional() });
/** arXiv's `arXiv` format (arxiv.org/OAI/arXiv.xsd); only the fields a Paper uses are checked. */
const ArxivMetadataSchema = z.object({
  arXiv: z.object({
    id: Text.transform((id) => id.trim().replace(/v\d+$/, '')).pipe(Text.regex(ARXIV_ID, 'not an arXiv id')),
    created: Text.regex(isoDate, 'expected a date as YYYY-MM-DD'),
    // An element with no authors parses as "", which is no authors.
    authors: z.union([z.literal(''), z.object({ author: z.array(AuthorSchema) })]).optional(),
    title: Text,
    categories: Text,
    abstract: Text.optional(),
  }),
});

export interface ArxivRecord {
  id: string;
  /** First-version date (YYYY-MM-DD): the arXiv format's `created`. */
  created: string;
  /** Primary first, as arXiv lists them. */
  categories: string[];
  paper: Paper;
}

/** The record's metadata as a paper, or why it cannot be one. */
export function toArxivRecord(metadata: unknown): ArxivRecord | { reason: string } {
  const parsed = ArxivMetadataSchema.safeParse(metadata);
  if (!parsed.success) return { reason: skipReason(parsed.error) };
  const { id, created, authors, title, categories, abstract } = parsed.data.arXiv;
  const categoryList = categories.split(/\s+/).filter(Boolean);
  const paper = PaperSchema.safeParse({
    id,
    title: unwrap(title),
    abstract: unwrap(abstract ?? ''),
    authors: (authors === '' || authors === undefined ? [] : authors.author).map(authorName).filter(Boolean),
    publishedAt: created,
    links: { arxiv: `https://arxiv.org/abs/${id}`, pdf: `https://arxiv.org/pdf/${id}` },
    categories: categoryList,
    source: 'arxiv',
  });
  if (!paper.success) return { reason: skipReason(paper.error) };
  return { id, created, categories: categoryList, paper: paper.data };
}

/** "Forenames Keyname Suffix" ("José Müller", "Łukasz Wałęsa Jr"); a collaboration is a keyname alone. */
function authorName(author: z.infer<typeof AuthorSchema>): string {
  return [author.forenames, author.keyname, author.suffix].filter((part) => part?.trim()).join(' ');
}
