import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseListRecords } from '../../../src/ingest/sources/arxiv-oai-page.js';
import { type ArxivOaiOptions, arxivOaiSource, categoryFilter, setsFor } from '../../../src/ingest/sources/arxiv-oai.js';
import { type LogFields, silentLogger } from '../../../src/lib/logger.js';
import { PAGE_2_TOKEN, RECORDED_DAY, type OaiServer, startOaiServer } from '../../support/arxiv-oai-server.js';

const INTERVAL = 200;
let oai: OaiServer;
const logs: string[] = [];
const source = (options: Partial<ArxivOaiOptions> = {}) =>
  arxivOaiSource({
    endpoint: oai.url,
    categories: ['cs.CL', 'cs.LG'],
    intervalMs: INTERVAL,
    logger: { ...silentLogger, debug: record, info: record, warn: record },
    ...options,
  });
function record(message: string, fields?: LogFields): void {
  logs.push(`${message} ${JSON.stringify(fields)}`);
}
const gaps = () => oai.requests.slice(1).map((request, i) => request.at - oai.requests[i]!.at);

beforeEach(async () => {
  oai = await startOaiServer();
  logs.length = 0;
});
afterEach(() => oai.close());

describe('arXiv OAI-PMH source', () => {
  it('harvests the whole day, following the resumptionToken to the empty one that ends the list', async () => {
    const day = await source().fetchDay(RECORDED_DAY);
    expect(oai.requests.map((r) => Object.fromEntries(r.query))).toEqual([
      { verb: 'ListRecords', metadataPrefix: 'arXiv', from: RECORDED_DAY, until: RECORDED_DAY, set: 'cs' },
      { verb: 'ListRecords', resumptionToken: PAGE_2_TOKEN },
    ]);
    // Page 1: new cs.CL paper, cs.CV paper, deleted record, replacement of a 2024 paper; page 2: new cs.LG
    // paper, old hep-th paper, record with a blank title.
    expect(day.papers.map((p) => p.id)).toEqual(['2503.21234', '2503.20001']);
    expect(day.skipped).toBe(2);
    expect(day.skipReasons).toEqual({ 'deleted record': 1, 'title: missing or empty': 1 });
    expect(logs.join('\n')).toMatch(/skipped a record .*"identifier":"oai:arXiv.org:2503.19999","reason":"deleted record"/);
    expect(logs.join('\n')).toContain('"sets":["cs"],"records":7,"outsideCategories":2,"notNew":1,"kept":2,"skipped":2');
  });

  it('maps every field of a record: id, unwrapped title and abstract with its LaTeX, authors in order, categories primary first', async () => {
    const { papers } = await source().fetchDay(RECORDED_DAY);
    expect(papers[0]).toEqual({
      id: '2503.21234',
      title: 'Speculative Decoding with Draft Trees: Faster Inference for Large Language Models without Quality Loss',
      abstract:
        'We draw $k$ candidate tokens per step from a draft model and verify them in one pass, so that the expected ' +
        'speed-up is $\\mathcal{O}(k \\cdot \\alpha)$ for an acceptance rate $\\alpha < 1$. On \\textsc{MT-Bench} the ' +
        "method is 2.1$\\times$ faster & matches the target model's outputs token for token.",
      authors: ['José Müller', 'Zoë Øberg', 'Łukasz Wałęsa Jr', '太郎 田中', 'The Paperboy Collaboration'],
      publishedAt: '2025-03-26',
      upvotes: 0,
      links: { arxiv: 'https://arxiv.org/abs/2503.21234', pdf: 'https://arxiv.org/pdf/2503.21234' },
      keywords: [],
      categories: ['cs.CL', 'cs.LG'],
      source: 'arxiv',
    });
    expect(papers[1]).toMatchObject({
      id: '2503.20001',
      authors: ['Thi Minh Nguyen', 'A. B. Smith'],
      categories: ['cs.LG', 'cs.CL', 'stat.ML'],
    });
    expect(papers[1]!.trending).toBeUndefined();
  });

  it('keeps an old-style id whole (hep-th/9901001) when its category and age are let through', async () => {
    const day = await source({ categories: ['hep-th'], newWithinDays: Number.POSITIVE_INFINITY }).fetchDay(RECORDED_DAY);
    expect(oai.requests[0]!.query.get('set')).toBe('physics:hep-th');
    expect(day.papers).toHaveLength(1);
    expect(day.papers[0]).toMatchObject({
      id: 'hep-th/9901001',
      title: 'Brane Inflation',
      authors: ['G. Dvali', 'S. -H. Henry Tye'],
      publishedAt: '1999-01-04',
      categories: ['hep-th', 'astro-ph', 'hep-ph'],
      links: { arxiv: 'https://arxiv.org/abs/hep-th/9901001', pdf: 'https://arxiv.org/pdf/hep-th/9901001' },
    });
  });

  it('keeps only the configured categories, a wildcard taking a whole archive', async () => {
    const all = await source({ categories: ['cs.*'] }).fetchDay(RECORDED_DAY);
    expect(all.papers.map((p) => p.id)).toEqual(['2503.21234', '2503.21300', '2503.20001']);
    const statOnly = await source({ categories: ['stat.ML'] }).fetchDay(RECORDED_DAY);
    expect(statOnly.papers.map((p) => p.id)).toEqual(['2503.20001']);
    expect(oai.requests.at(-2)!.query.get('set')).toBe('stat');
  });

  it('keeps only new submissions: a replacement whose first version is a year old is left out unless asked for', async () => {
    const fresh = await source({ categories: ['cs.LG'] }).fetchDay(RECORDED_DAY);
    expect(fresh.papers.map((p) => p.id)).toEqual(['2503.21234', '2503.20001']);
    const withReplacements = await source({ categories: ['cs.LG'], newWithinDays: 1000 }).fetchDay(RECORDED_DAY);
    expect(withReplacements.papers.map((p) => p.id)).toEqual(['2503.21234', '2401.00042', '2503.20001']);
  });

  it('treats noRecordsMatch as an empty day', async () => {
    const day = await source().fetchDay('2025-03-29');
    expect(day).toEqual({ date: '2025-03-29', papers: [], skipped: 0, skipReasons: {} });
    expect(oai.requests).toHaveLength(1);
  });

  it('leaves at least the interval between requests, across pages and days', async () => {
    const arxiv = source();
    await arxiv.fetchDay(RECORDED_DAY);
    await arxiv.fetchDay('2025-03-29');
    expect(oai.requests).toHaveLength(3);
    for (const gap of gaps()) expect(gap).toBeGreaterThanOrEqual(INTERVAL);
  });

  it('waits out a 503 Retry-After, then harvests the day whole', async () => {
    oai.failures.push({ status: 503, headers: { 'retry-after': '1' } });
    const day = await source().fetchDay(RECORDED_DAY);
    expect(day.papers.map((p) => p.id)).toEqual(['2503.21234', '2503.20001']);
    expect(oai.requests).toHaveLength(3);
    const [afterRetry, ...rest] = gaps();
    expect(afterRetry).toBeGreaterThanOrEqual(1000);
    for (const gap of rest) expect(gap).toBeGreaterThanOrEqual(INTERVAL);
    expect(logs.join('\n')).toMatch(/retrying .*"problem":"HTTP 503","waitMs":1000/);
  });

  it('fails the day clearly when Retry-After asks for longer than it may wait', async () => {
    oai.failures.push({ status: 503, headers: { 'retry-after': '3600' } });
    await expect(source({ maxWaitMs: 10_000 }).fetchDay(RECORDED_DAY)).rejects.toThrow(
      'arXiv rate limit: retry in 3600 s (HTTP 503), longer than the 10 s allowed; 2025-03-28 (set cs) not fetched',
    );
    expect(oai.requests).toHaveLength(1);
  });

  it('retries a 5xx and a request that never answers, with backoff, and gives up after the attempts', async () => {
    const sleeps: number[] = [];
    const sleep = async (ms: number) => void sleeps.push(ms);
    oai.failures.push({ status: 502 }, { status: 'hang' });
    const day = await source({ sleep, timeoutMs: 300 }).fetchDay(RECORDED_DAY);
    expect(day.papers).toHaveLength(2);
    expect(logs.join('\n')).toMatch(/"problem":"HTTP 502","waitMs":500/);
    expect(sleeps).toEqual(expect.arrayContaining([500, 1000])); // 1000: the backoff after the request that timed out

    oai.failures.push({ status: 500 }, { status: 500 }, { status: 500 });
    await expect(source({ sleep, attempts: 3 }).fetchDay(RECORDED_DAY)).rejects.toThrow(
      'arXiv unavailable for 2025-03-28 (set cs) after 3 attempts (HTTP 500)',
    );
  });

  it('fails the day on an OAI error other than noRecordsMatch, and on a body that is not OAI-PMH', async () => {
    await expect(source({ categories: ['nosuch.XX'] }).fetchDay(RECORDED_DAY)).rejects.toThrow(
      /arXiv OAI-PMH error for 2025-03-28 \(set nosuch\): badArgument: .*Set does not exist/,
    );
    oai.failures.push({ status: 200, body: '<html><body>Access Denied</body></html>' });
    await expect(source().fetchDay(RECORDED_DAY)).rejects.toThrow(/something other than an OAI-PMH response/);
    await expect(source().fetchDay('2025-3-28')).rejects.toThrow(/expected a date as YYYY-MM-DD/);
  });
});

describe('parseListRecords', () => {
  it('reads a one-record page without a resumptionToken (arXiv new server ends lists so), ids kept as text', () => {
    const page = parseListRecords(`<?xml version="1.0" encoding="UTF-8"?>
<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><responseDate>2025-03-29T02:14:07Z</responseDate>
<request verb="ListRecords">https://oaipmh.arxiv.org/oai</request><ListRecords><record>
<header><identifier>oai:arXiv.org:2503.12340</identifier><datestamp>2025-03-28</datestamp><setSpec>cs:cs:CL</setSpec></header>
<metadata><arXiv xmlns="http://arxiv.org/OAI/arXiv/"><id>2503.12340</id><created>2025-03-27</created>
<authors><author><keyname>Fran&#231;ois</keyname><forenames>Ana&#xEF;s</forenames></author></authors>
<title>One</title><categories>cs.CL</categories></arXiv></metadata></record></ListRecords></OAI-PMH>`);
    expect(page.resumptionToken).toBeUndefined();
    expect(page.records).toHaveLength(1);
    const [only] = page.records;
    expect(only).toMatchObject({ deleted: false, identifier: 'oai:arXiv.org:2503.12340' });
    expect(only!.deleted === false && only!.metadata).toMatchObject({
      arXiv: { id: '2503.12340', authors: { author: [{ keyname: 'François', forenames: 'Anaïs' }] } },
    });
  });

  it('reads the error of the noRecordsMatch fixture', () => {
    const page = parseListRecords(
      `<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><error code="noRecordsMatch">empty</error></OAI-PMH>`,
    );
    expect(page).toEqual({ records: [], error: { code: 'noRecordsMatch', message: 'empty' } });
  });
});

describe('categories and sets', () => {
  it('matches exact categories and wildcards, and harvests one set per archive', () => {
    const keep = categoryFilter(['cs.CL', 'math.*']);
    expect(['cs.CL', 'cs.LG', 'math.AG', 'math', 'math-ph'].map(keep)).toEqual([true, false, true, true, false]);
    expect(setsFor(['cs.CL', 'cs.LG'])).toEqual(['cs']);
    expect(setsFor(['cs.*'])).toEqual(['cs']);
    expect(setsFor(['hep-th'])).toEqual(['physics:hep-th']);
    expect(setsFor(['cs.CL', 'stat.ML'])).toEqual(['cs', 'stat']);
  });
});
