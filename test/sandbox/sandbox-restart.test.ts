import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createAnswerer } from '../../src/answer/index.js';
import { silentLogger } from '../../src/lib/logger.js';
import { sandboxMessagesFile } from '../../src/runtime/sandbox.js';
import { startSandbox } from '../../src/sandbox/sandbox.js';
import type { ShownMessage } from '../../src/sandbox/workspace.js';
import { DEFAULT_TIMING } from '../../src/slack/deps.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import { seedIndex } from '../support/slack-app.js';

const dir = mkdtempSync(join(tmpdir(), 'paperboy-sandbox-restart-'));
const index = seedIndex();

async function start(store: ReturnType<typeof openSqliteStore>, messagesFile: string) {
  const deps = {
    index,
    answerer: createAnswerer({ cache: store }),
    store,
    logger: silentLogger,
    timing: { ...DEFAULT_TIMING, updateIntervalMs: 100 },
  };
  return startSandbox({ deps, port: 0, messagesFile });
}

async function hello(url: string): Promise<{ messages: ShownMessage[] }> {
  const controller = new AbortController();
  const response = await fetch(`${url}/events`, { signal: controller.signal });
  const reader = response.body!.getReader();
  let text = '';
  while (!text.includes('\n\n')) text += new TextDecoder().decode((await reader.read()).value);
  controller.abort();
  return JSON.parse(/^event: hello\ndata: (.*)$/m.exec(text)![1]!) as { messages: ShownMessage[] };
}

const post = (url: string, body: unknown) =>
  fetch(`${url}/api/type`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

async function until<T>(find: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const found = await find();
    if (found) return found;
    if (Date.now() > deadline) throw new Error('not shown in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('the sandbox across a restart', () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps the channel as the store remembers it: the answer is still there, and its thread still answered', async () => {
    const db = join(dir, 'paperboy.db');
    const file = sandboxMessagesFile({ PAPERBOY_DB: db });
    expect(file).toBe(join(dir, 'paperboy.sandbox.json'));
    const store = openSqliteStore(db);
    try {
      const first = await start(store, file);
      await post(first.url, { text: '/papers distillation' });
      const answer = await until(async () =>
        (await hello(first.url)).messages.find(
          (m) =>
            m.author === 'bot' &&
            !m.ephemeral &&
            !m.threadTs &&
            JSON.stringify(m.blocks).includes('Dual-Head') &&
            !JSON.stringify(m.blocks).includes('Reading the papers'),
        ),
      );
      await first.stop();
      const saved = JSON.parse(readFileSync(file, 'utf8')) as { shown: ShownMessage[] };
      expect(saved.shown.some((m) => m.ephemeral)).toBe(false);

      const second = await start(store, file);
      try {
        const again = (await hello(second.url)).messages.find((m) => m.ts === answer.ts);
        expect(again?.blocks).toEqual(answer.blocks);
        await post(second.url, { text: '@Paperboy compare the first two', threadTs: answer.ts });
        const reply = await until(async () =>
          (await hello(second.url)).messages.find(
            (m) => m.author === 'bot' && m.threadTs === answer.ts && JSON.stringify(m.blocks).includes('Follow-up questions need an LLM'),
          ),
        );
        expect(JSON.stringify(reply.blocks)).toContain('[1]');
      } finally {
        await second.stop();
      }
    } finally {
      await store.close();
    }
  });

  it('sets a damaged file aside and starts with an empty channel', async () => {
    const db = join(dir, 'damaged.db');
    const file = sandboxMessagesFile({ PAPERBOY_DB: db });
    writeFileSync(file, '{"version": 1, "shown": [{"ts": 5}]');
    const store = openSqliteStore(db);
    const sandbox = await start(store, file);
    try {
      expect((await hello(sandbox.url)).messages).toEqual([]);
      expect(readFileSync(`${file}.unreadable`, 'utf8')).toContain('"ts": 5');
    } finally {
      await sandbox.stop();
      await store.close();
    }
  });
});
