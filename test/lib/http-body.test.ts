import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { BodyTooLarge, readBody } from '../../src/lib/http-body.js';

async function post(body: string, maxBytes: number): Promise<string> {
  const server = createServer((req, res) => {
    readBody(req, maxBytes).then(
      (text) => res.end(`read ${text.length}`),
      (error: unknown) => res.end(error instanceof BodyTooLarge ? 'too large' : 'error'),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`, { method: 'POST', body });
    return await response.text();
  } finally {
    server.close();
  }
}

describe('readBody', () => {
  it('reads the whole body, and refuses one over the limit however it is split', async () => {
    expect(await post('x'.repeat(100_000), 200_000)).toBe('read 100000');
    expect(await post('x'.repeat(100_000), 1_000)).toBe('too large');
    expect(await post('', 10)).toBe('read 0');
  });
});
