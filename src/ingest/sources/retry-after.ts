/**
 * How long a server asked us to wait, in ms: `Retry-After` (seconds or an HTTP date), else the
 * IETF `RateLimit` header's reset (`"api";r=0;t=42`) or the older `RateLimit-Reset` (seconds).
 */
export function retryDelayMs(headers: Headers, now = Date.now()): number | undefined {
  const retryAfter = headers.get('retry-after');
  if (retryAfter) {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds * 1000);
    const at = Date.parse(retryAfter);
    if (!Number.isNaN(at)) return Math.max(0, at - now);
  }
  const reset = /(?:^|[;,\s])t=(\d+(?:\.\d+)?)/.exec(headers.get('ratelimit') ?? '')?.[1] ?? headers.get('ratelimit-reset');
  if (reset && Number.isFinite(Number(reset))) return Math.ceil(Number(reset) * 1000);
  return undefined;
}
