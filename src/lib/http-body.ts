import type { IncomingMessage } from 'node:http';

export class BodyTooLarge extends Error {
  override name = 'BodyTooLarge';
}

/**
 * A request's whole body as UTF-8 text; past `maxBytes` it stops reading and rejects with BodyTooLarge.
 * Event listeners rather than `for await`: under a burst of requests the async iterator costs far more.
 */
export async function readBody(req: IncomingMessage, maxBytes = Number.POSITIVE_INFINITY): Promise<string> {
  return (await readBodyBytes(req, maxBytes)).toString('utf8');
}

/** A request's whole body as bytes (see readBody). */
export function readBodyBytes(req: IncomingMessage, maxBytes = Number.POSITIVE_INFINITY): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) return void chunks.push(chunk);
      chunks.length = 0;
      reject(new BodyTooLarge(`request body over ${maxBytes} bytes`));
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
