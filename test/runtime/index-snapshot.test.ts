import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadSettings } from '../../src/config.js';
import type { Logger } from '../../src/lib/logger.js';
import { openServices } from '../../src/runtime/services.js';

const dir = mkdtempSync(join(tmpdir(), 'paperboy-restart-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Each log line as "message how" (the index's line says how it was opened). */
function recorder(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const note = (message: string, fields?: Record<string, unknown>) => void lines.push(`${message}${fields?.how ? ` ${fields.how}` : ''}`);
  return { logger: { debug: note, info: note, warn: note, error: note }, lines };
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
}

describe('the bot on SQLite starts from the saved search index', () => {
  it('saves the index next to the database, loads it on restart, and rebuilds from a corrupt one', async () => {
    const database = join(dir, 'paperboy.db');
    const settings = loadSettings({ PAPERBOY_DB: database });
    const snapshot = `${database}.index`;

    const first = recorder();
    const cold = await openServices(settings, undefined, first.logger);
    expect(first.lines).toContain('search index ready built');
    await until(() => existsSync(snapshot));
    expect(existsSync(snapshot)).toBe(true);
    await cold.store.close();

    const second = recorder();
    const warm = await openServices(settings, undefined, second.logger);
    expect(second.lines).toContain('search index ready snapshot');
    expect(second.lines).not.toContain('search index ready built');
    expect(warm.index.size).toBe(cold.index.size);
    await warm.store.close();

    writeFileSync(snapshot, new Uint8Array([1, 2, 3]));
    const third = recorder();
    const recovered = await openServices(settings, undefined, third.logger);
    expect(third.lines).toContain('search index snapshot not used; building the index from the papers');
    expect(third.lines).toContain('search index ready built');
    expect(recovered.index.search('distillation', { limit: 1 })).toHaveLength(1);
    await recovered.store.close();

    const off = recorder();
    const none = await openServices(
      loadSettings({ PAPERBOY_DB: join(dir, 'other.db'), PAPERBOY_INDEX_FILE: 'off' }),
      undefined,
      off.logger,
    );
    expect(none.persister).toBeUndefined();
    await none.store.close();
    expect(existsSync(join(dir, 'other.db.index'))).toBe(false);
  });
});
