import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LogFields, Logger } from '../../src/lib/logger.js';
import { loadSettings } from '../../src/config.js';
import { openServices } from '../../src/runtime/services.js';

describe("the bot's log", () => {
  it('names file:line for every skipped corpus record, not only how many', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'paperboy-corpuslog-'));
    const corpus = join(dir, 'papers.jsonl');
    writeFileSync(corpus, [JSON.stringify({ id: 'a', title: 'Routing', abstract: 'Mixture of experts.' }), '{broken', 'null'].join('\n'));
    const warnings: Array<{ message: string; fields?: LogFields }> = [];
    const logger: Logger = {
      debug() {},
      info() {},
      error() {},
      warn: (message, fields) => void warnings.push({ message, ...(fields ? { fields } : {}) }),
    };
    const services = await openServices(
      loadSettings({ PAPERBOY_CORPUS: corpus, PAPERBOY_DB: join(dir, 'paperboy.db') }),
      undefined,
      logger,
    );
    await services.store.close();
    rmSync(dir, { recursive: true, force: true });
    expect(warnings).toContainEqual({ message: 'corpus record skipped', fields: { where: `${corpus}:2`, reason: 'not valid JSON' } });
    expect(warnings).toContainEqual({ message: 'corpus record skipped', fields: { where: `${corpus}:3`, reason: 'not a JSON object' } });
  });
});
