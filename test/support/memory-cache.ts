import type { Cache } from '../../src/answer/types.js';

/** A Map-backed Cache for tests only; production uses the Store. Counts reads and writes. */
export class MemoryCache implements Cache {
  readonly entries = new Map<string, string>();
  gets = 0;
  sets = 0;

  async get(key: string): Promise<string | undefined> {
    this.gets++;
    return this.entries.get(key);
  }

  async set(key: string, value: string): Promise<void> {
    this.sets++;
    this.entries.set(key, value);
  }
}
