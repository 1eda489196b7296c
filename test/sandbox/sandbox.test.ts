import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAnswerer } from '../../src/answer/index.js';
import { silentLogger } from '../../src/lib/logger.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/sandbox.js';
import type { ShownMessage } from '../../src/sandbox/workspace.js';
import { DEFAULT_TIMING } from '../../src/slack/deps.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import { seedIndex } from '../support/slack-app.js';

interface Hello {
  channel: { id: string };
  digest: boolean;
  messages: ShownMessage[];
}

/** The page's event stream, read as the browser would: every message as it now stands. */
async function follow(url: string) {
  const controller = new AbortController();
  const response = await fetch(`${url}/events`, { signal: controller.signal });
  const messages = new Map<string, ShownMessage>();
  let hello: Hello | undefined;
  void (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of response.body!) {
        buffer += decoder.decode(chunk as Uint8Array, { stream: true });
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          const [, event = '', data = ''] = /^event: (.*)\ndata: (.*)$/s.exec(buffer.slice(0, end)) ?? [];
          buffer = buffer.slice(end + 2);
          if (event === 'hello') hello = JSON.parse(data) as Hello;
          if (event === 'message') {
            const message = JSON.parse(data) as ShownMessage;
            messages.set(message.ts, message);
          }
        }
      }
    } catch {
      // aborted
    }
  })();
  const waitFor = async <T>(find: (messages: ShownMessage[]) => T | undefined): Promise<T> => {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const found = find([...messages.values()]);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`not shown: ${JSON.stringify([...messages.values()].map((m) => m.text))}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  return { waitFor, hello: () => hello, close: () => controller.abort() };
}

const shown = (message: ShownMessage) => JSON.stringify([message.text, message.blocks]);
const finished = (message: ShownMessage) => !/▍|Reading the papers…|Thinking…/.test(shown(message));

interface Button {
  action_id: string;
  value: string;
  text: { text: string };
}

/** The first button with this label, and the actions block holding it. */
function buttonIn(message: ShownMessage, label: string): { block: { block_id: string }; button: Button } {
  for (const block of message.blocks as Array<{ type: string; block_id: string; elements?: Button[] }>) {
    const button = block.type === 'actions' ? block.elements?.find((element) => element.text.text === label) : undefined;
    if (button) return { block, button };
  }
  throw new Error(`no "${label}" button`);
}

/** A raw request, so that the Host header can be anything. */
function send(
  url: string,
  options: { method?: string; path: string; headers?: Record<string, string>; body?: string },
): Promise<{ status: number; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}${options.path}`, { method: options.method ?? 'GET', headers: options.headers ?? {} }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

describe('the sandbox', () => {
  let dir: string;
  let store: ReturnType<typeof openSqliteStore>;
  let sandbox: Sandbox;
  const digests: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'paperboy-sandbox-'));
    store = openSqliteStore(join(dir, 'paperboy.db'));
    const deps = {
      index: seedIndex(),
      answerer: createAnswerer({ cache: store }),
      store,
      logger: silentLogger,
      timing: { ...DEFAULT_TIMING, updateIntervalMs: 100 },
    };
    sandbox = await startSandbox({
      deps,
      port: 0,
      postDigestNow: async (channel, client) => {
        digests.push(channel);
        await client.chat.postMessage({ channel, text: "Today's papers" });
        return 'Posted 1 digest.';
      },
    });
  });

  afterAll(async () => {
    await sandbox.stop();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const post = (path: string, body: unknown) =>
    fetch(`${sandbox.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('serves the page on loopback with a strict content security policy', async () => {
    expect(sandbox.url).toMatch(/^http:\/\/localhost:\d+$/);
    const page = await fetch(sandbox.url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<script type="module" src="/app.js">');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect((await send(sandbox.url, { path: '/../package.json' })).status).toBe(404);
  });

  it('refuses requests addressed to another host, and actions that are not JSON', async () => {
    expect((await send(sandbox.url, { path: '/', headers: { host: 'attacker.example' } })).status).toBe(421);
    const form = { method: 'POST', path: '/api/type', headers: { 'content-type': 'text/plain' }, body: '{"text":"/papers x"}' };
    expect((await send(sandbox.url, form)).status).toBe(415);
    expect((await post('/api/type', { text: 42 })).status).toBe(400);
  });

  it('shows a streamed /papers answer, and answers a button and a thread reply in the thread', async () => {
    const stream = await follow(sandbox.url);
    try {
      expect((await post('/api/type', { text: '/papers distillation' })).status).toBe(204);
      const answer = await stream.waitFor((messages) =>
        messages.find((m) => m.author === 'bot' && !m.threadTs && shown(m).includes('Papers on “distillation”') && finished(m)),
      );
      expect(shown(answer)).toContain('Dual-Head Knowledge Distillation');
      expect(stream.hello()).toMatchObject({ digest: true });

      const { block, button } = buttonIn(answer, 'More like this');
      expect(
        (await post('/api/click', { ts: answer.ts, actionId: button.action_id, value: button.value, blockId: block.block_id })).status,
      ).toBe(204);
      await stream.waitFor((messages) => messages.find((m) => m.threadTs === answer.ts && shown(m).includes('More like') && finished(m)));

      await post('/api/type', { text: '@Paperboy which one adds an auxiliary head?', threadTs: answer.ts });
      const question = await stream.waitFor((messages) => messages.find((m) => m.author === 'user' && m.threadTs === answer.ts));
      expect(question.text).toBe('<@UBOT> which one adds an auxiliary head?');
      const replies = await stream.waitFor((messages) => {
        const found = messages.filter((m) => m.author === 'bot' && m.threadTs === answer.ts && finished(m));
        return found.length === 2 ? found : undefined;
      });
      expect(shown(replies[1]!)).toContain('Dual-Head Knowledge Distillation');
    } finally {
      stream.close();
    }
  });

  it('marks what only the person sees, and posts the digest through the callback', async () => {
    const stream = await follow(sandbox.url);
    try {
      await post('/api/type', { text: '/papers help' });
      const usage = await stream.waitFor((messages) =>
        messages.find((m) => m.author === 'bot' && shown(m).includes('/papers &lt;topic&gt;')),
      );
      expect(usage.ephemeral).toBe(true);
      await post('/api/digest', {});
      const notice = await stream.waitFor((messages) => messages.find((m) => m.author === 'slackbot' && m.text === 'Posted 1 digest.'));
      expect(notice.ephemeral).toBe(true);
      expect(digests).toEqual([stream.hello()!.channel.id]);
      await stream.waitFor((messages) => messages.find((m) => m.author === 'bot' && m.text === "Today's papers" && !m.ephemeral));
    } finally {
      stream.close();
    }
  });
});
