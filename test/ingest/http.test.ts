import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getWithRetry, Pacer } from '../../src/ingest/http.js';

// A loopback server answering each request with the next scripted reply (then 200 "[]"), or never ("hang").
type Reply = { status: number; headers?: Record<string, string> } | 'hang';
let server: Server;
let url: URL;
let replies: Reply[];
let hits: number[];
beforeEach(async () => {
  replies = [];
  hits = [];
  server = createServer((_req, res) => {
    hits.push(Date.now());
    const reply = replies.shift() ?? { status: 200 };
    if (reply === 'hang') return;
    res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers }).end('[]');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/api/x`);
});
afterEach(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('getWithRetry', () => {
  const sleeps: number[] = [];
  const request = () => ({ url, service: 'Test', what: '2025-03-28' });
  const options = () => ({ sleep: async (ms: number) => void sleeps.push(ms) });
  beforeEach(() => {
    sleeps.length = 0;
  });

  it('honours Retry-After in seconds on 429 and as an HTTP date on 503, then returns the answer', async () => {
    const inTenSeconds = new Date(Date.now() + 10_000).toUTCString();
    replies.push({ status: 429, headers: { 'retry-after': '3' } }, { status: 503, headers: { 'retry-after': inTenSeconds } });
    expect(await getWithRetry(request(), options())).toBe('[]');
    expect(sleeps[0]).toBe(3000);
    expect(sleeps[1]).toBeGreaterThan(8000);
    expect(sleeps[1]).toBeLessThanOrEqual(10_000);
    expect(hits).toHaveLength(3);
  });

  it('refuses a wait longer than its maximum (the day fails instead of hanging), and does not retry a 404', async () => {
    replies.push({ status: 429, headers: { 'retry-after': '120' } });
    await expect(getWithRetry(request(), { ...options(), maxWaitMs: 60_000 })).rejects.toThrow('Test rate limit: retry in 120 s');
    replies.push({ status: 404 });
    await expect(getWithRetry(request(), options())).rejects.toThrow('Test answered HTTP 404 for 2025-03-28');
    expect(hits).toHaveLength(2);
    expect(sleeps).toEqual([]);
  });

  it('gives up on a server that never answers after its attempts, each within the timeout', async () => {
    replies.push('hang', 'hang');
    const started = Date.now();
    await expect(getWithRetry(request(), { ...options(), attempts: 2, timeoutMs: 200 })).rejects.toThrow(
      /Test unavailable for 2025-03-28 after 2 attempts \(network error: .*(timeout|aborted)/i,
    );
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(hits).toHaveLength(2);
  });

  it('spaces requests through one pacer at the least interval, from the end of one to the start of the next, whoever calls', async () => {
    const pace = new Pacer(150);
    await Promise.all([1, 2, 3].map(() => getWithRetry({ ...request(), pace })));
    const gaps = hits.slice(1).map((at, i) => at - hits[i]!);
    expect(gaps.every((gap) => gap >= 150)).toBe(true);
  });
});
