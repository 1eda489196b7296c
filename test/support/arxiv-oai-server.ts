import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { projectRoot } from '../../src/paths.js';

export interface ScriptedOaiFailure {
  /** An HTTP status to answer with, or "hang" to accept the request and never answer. */
  status: number | 'hang';
  headers?: Record<string, string>;
  body?: string;
}

/**
 * A loopback stand-in for arXiv's OAI-PMH endpoint, serving the recorded ListRecords pages of
 * test/fixtures/arxiv-oai (see its README) by verb, day and resumptionToken, and noting when each
 * request arrived.
 */
export interface OaiServer {
  url: string;
  requests: Array<{ at: number; query: URLSearchParams }>;
  /** Answered, in order, before any real answer. */
  failures: ScriptedOaiFailure[];
  close(): Promise<void>;
}

export function oaiFixture(name: string): string {
  return readFileSync(join(projectRoot, 'test', 'fixtures', 'arxiv-oai', name), 'utf8');
}

/** The token page 1 hands out, as arXiv's server writes it (URL-encoded query, opaque to a harvester). */
export const PAGE_2_TOKEN = 'verb%3DListRecords%26metadataPrefix%3DarXiv%26set%3Dcs%26from%3D2025-03-28%26until%3D2025-03-28%26skip%3D4';
export const RECORDED_DAY = '2025-03-28';
const KNOWN_SETS = new Set(['cs', 'stat', 'physics:hep-th']);

export async function startOaiServer(): Promise<OaiServer> {
  const state = { requests: [] as OaiServer['requests'], failures: [] as ScriptedOaiFailure[] };
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    state.requests.push({ at: performance.now(), query: url.searchParams });
    const failure = state.failures.shift();
    if (failure?.status === 'hang') return;
    if (failure) {
      res.writeHead(failure.status, { 'content-type': 'text/html', ...failure.headers });
      res.end(failure.body ?? '<html><body>Service Unavailable</body></html>');
      return;
    }
    res.writeHead(200, { 'content-type': 'text/xml; charset=utf-8' });
    res.end(answer(url.pathname, url.searchParams));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/oai`,
    ...state,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** OAI-PMH answers errors with 200 and an <error> element (spec 3.6). */
function answer(path: string, query: URLSearchParams): string {
  if (path !== '/oai' || query.get('verb') !== 'ListRecords') return oaiFixture('bad-argument.xml');
  const token = query.get('resumptionToken');
  if (token !== null)
    return token === PAGE_2_TOKEN && [...query.keys()].length === 2 ? oaiFixture('list-records-page2.xml') : oaiFixture('bad-argument.xml');
  const set = query.get('set');
  if (query.get('metadataPrefix') !== 'arXiv' || (set !== null && !KNOWN_SETS.has(set))) return oaiFixture('bad-argument.xml');
  const day = query.get('from');
  if (day !== query.get('until')) return oaiFixture('bad-argument.xml');
  return day === RECORDED_DAY ? oaiFixture('list-records-page1.xml') : oaiFixture('no-records-match.xml');
}
