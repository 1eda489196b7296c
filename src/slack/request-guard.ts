import { createHash } from 'node:crypto';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import type { Logger } from '../lib/logger.js';
import { readBodyBytes } from '../lib/http-body.js';

/** Slack's window for a request's timestamp, both ways: Bolt checks only the past. */
export const TIMESTAMP_WINDOW_S = 5 * 60;
/** Bolt's own default limit for a request body. */
const MAX_BODY_BYTES = 10 * 1024 * 1024;

/** The request with its body read, as Bolt's receiver takes it (it reads `rawBody` instead of the stream). */
type BufferedRequest = IncomingMessage & { rawBody?: Buffer };

/**
 * What Bolt's HTTP receiver lets through and should not, checked before it sees the request:
 * - a timestamp more than five minutes ahead (Bolt rejects only old ones) → 401;
 * - a body whose payload is JSON `null` or not an object (`payload=null`): Bolt reads a property of
 *   it outside any try, and the rejection ended the process → 400;
 * - a byte-identical signed request seen in the last five minutes (a captured `/papers` replayed):
 *   acknowledged (200) and not handled again. Slack signs each delivery anew, so its own retries
 *   differ; an Events API retry is also caught later by the event-id claim.
 * The signature itself is still checked by Bolt; a replayed copy needs a valid one to matter, and
 * the first copy is the one handled. Replays are remembered per process (see the README).
 */
export function guardRequests(next: RequestListener, logger: Logger, now: () => number = Date.now): RequestListener {
  const seen = new Map<string, number>();
  return (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== 'POST') return void next(req, res);
    readBodyBytes(req, MAX_BODY_BYTES).then(
      (raw) => {
        const verdict = check(req, raw, seen, now());
        if (verdict) {
          logger.warn('request refused before Bolt', { reason: verdict.reason, status: verdict.status });
          res.writeHead(verdict.status);
          return void res.end();
        }
        (req as BufferedRequest).rawBody = raw;
        next(req, res);
      },
      () => {
        res.writeHead(413);
        res.end();
      },
    );
  };
}

function check(
  req: IncomingMessage,
  raw: Buffer,
  seen: Map<string, number>,
  nowMs: number,
): { status: number; reason: string } | undefined {
  const nowS = Math.floor(nowMs / 1000);
  const timestamp = Number(header(req, 'x-slack-request-timestamp'));
  if (Number.isFinite(timestamp) && timestamp > nowS + TIMESTAMP_WINDOW_S) return { status: 401, reason: 'timestamp in the future' };
  if (!isObjectBody(raw.toString('utf8'), header(req, 'content-type'))) return { status: 400, reason: 'body is not a JSON object' };
  const signature = header(req, 'x-slack-signature');
  if (!signature || !Number.isFinite(timestamp)) return undefined;
  forgetOlderThan(seen, nowS - TIMESTAMP_WINDOW_S);
  const key = createHash('sha256').update(`${timestamp}:${signature}:`).update(raw).digest('hex');
  if (seen.has(key)) return { status: 200, reason: 'replayed request' };
  seen.set(key, timestamp);
  return undefined;
}

/** The body as Bolt will parse it (a form's `payload` field, or the JSON) is an object, when it is not a plain form. */
function isObjectBody(text: string, contentType: string | undefined): boolean {
  let value: unknown;
  try {
    if (contentType?.startsWith('application/x-www-form-urlencoded')) {
      const { payload } = parseQuery(text);
      if (payload === undefined) return true;
      if (typeof payload !== 'string') return false;
      value = JSON.parse(payload);
    } else if (contentType?.startsWith('application/json')) {
      value = JSON.parse(text);
    } else {
      return true;
    }
  } catch {
    return true; // Bolt answers malformed JSON with 400 itself
  }
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function forgetOlderThan(seen: Map<string, number>, oldestS: number): void {
  // Insertion order is nearly timestamp order: stop at the first one still in the window.
  for (const [key, timestamp] of seen) {
    if (timestamp >= oldestS) break;
    seen.delete(key);
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return typeof value === 'string' ? value : undefined;
}
