import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { projectRoot } from '../../src/paths.js';

export interface ScriptedFailure {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

/** A loopback stand-in for the Hub's /api/daily_papers, serving recorded days page by page. */
export interface HfServer {
  url: string;
  requests: Array<{ url: URL; headers: IncomingHttpHeaders }>;
  days: Map<string, unknown[]>;
  /** Answered, in order, before any real answer. */
  failures: ScriptedFailure[];
  close(): Promise<void>;
}

export function recordedDay(date: string): unknown[] {
  return JSON.parse(readFileSync(join(projectRoot, 'test', 'fixtures', 'hf', `daily_papers-${date}.json`), 'utf8')) as unknown[];
}

/** Real captured items with the Hub's quirks (`ai_keywords: [""]`, no title, ...): see test/fixtures/hf/README.md. */
export function quirksDay(): unknown[] {
  return JSON.parse(readFileSync(join(projectRoot, 'test', 'fixtures', 'hf', 'daily_papers-quirks.json'), 'utf8')) as unknown[];
}

export async function startHfServer(days: Record<string, unknown[]> = {}): Promise<HfServer> {
  const state = { requests: [] as HfServer['requests'], days: new Map(Object.entries(days)), failures: [] as ScriptedFailure[] };
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    state.requests.push({ url, headers: req.headers });
    const failure = state.failures.shift();
    if (failure) {
      res.writeHead(failure.status, { 'content-type': 'application/json', ...failure.headers });
      res.end(failure.body ?? JSON.stringify({ error: 'scripted failure' }));
      return;
    }
    if (url.pathname !== '/api/daily_papers') {
      res.writeHead(404).end();
      return;
    }
    const items = state.days.get(url.searchParams.get('date') ?? '') ?? [];
    const limit = Number(url.searchParams.get('limit') ?? 50);
    const page = Number(url.searchParams.get('p') ?? 0);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(items.slice(page * limit, (page + 1) * limit)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    ...state,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
