import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

/**
 * Who this process is when it claims a digest: unique across replicas (host), processes (pid) and
 * restarts that reuse a pid (random).
 */
export function processOwnerId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
}
