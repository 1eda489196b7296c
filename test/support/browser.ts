import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator } from 'playwright-core';
import { createAnswerer } from '../../src/answer/index.js';
import { silentLogger } from '../../src/lib/logger.js';
import { loadCorpus } from '../../src/papers/corpus.js';
import { DEFAULT_CORPUS } from '../../src/paths.js';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../src/sandbox/sandbox.js';
import { buildIndex } from '../../src/search/index.js';
import { DEFAULT_TIMING } from '../../src/slack/deps.js';
import { openSqliteStore } from '../../src/store/sqlite.js';

/** Debian's Chromium, driven by playwright-core (bash .ci/chromium.sh installs it). */
export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
export const haveChromium = existsSync(CHROMIUM);

/** A message in a list, found by text it shows, once it has finished streaming. */
export function finishedMessage(list: Locator, text: string): Locator {
  return list
    .locator('article.message-bot')
    .filter({ hasText: text })
    .filter({ hasNotText: /▍|Reading the papers…|Thinking…/ });
}

/** The sandbox on the seed corpus and a fresh SQLite store, as `npm start` runs it; `close` undoes it all. */
export async function startSeedSandbox(
  options: Partial<SandboxOptions> = {},
): Promise<{ sandbox: Sandbox; dir: string; close: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'paperboy-sandbox-'));
  const store = openSqliteStore(join(dir, 'paperboy.db'));
  const deps = {
    index: buildIndex(loadCorpus(DEFAULT_CORPUS).papers),
    answerer: createAnswerer({ cache: store }),
    store,
    logger: silentLogger,
    timing: DEFAULT_TIMING,
  };
  const sandbox = await startSandbox({ deps, port: 0, ...options });
  return {
    sandbox,
    dir,
    close: async () => {
      await sandbox.stop();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
