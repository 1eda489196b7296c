import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/paths.js';
import { BOT_TOKEN, FakeSlack } from '../../src/fake-slack/web-api.js';
import { deliver, SIGNING_SECRET, slashCommand } from '../../src/fake-slack/signed-requests.js';

// The compiled entry point, as `npm start` runs it (npm test builds first).
const MAIN = join(projectRoot, 'dist', 'src', 'main.js');

describe('npm start', () => {
  let slack: FakeSlack;
  let dir: string;
  beforeAll(async () => {
    slack = await new FakeSlack().start();
    dir = mkdtempSync(join(tmpdir(), 'paperboy-main-'));
  });
  afterAll(async () => {
    await slack.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  function start(env: Record<string, string>) {
    const child = spawn(process.execPath, [MAIN], { env: { PATH: process.env.PATH ?? '', PAPERBOY_DB: join(dir, 'paperboy.db'), ...env } });
    let stderr = '';
    let stdout = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    const logged = (message: string) =>
      new Promise<Record<string, unknown>>((resolve, reject) => {
        const look = () => {
          const line = stderr.split('\n').find((l) => l.includes(`"message":"${message}"`));
          if (line) return resolve(JSON.parse(line) as Record<string, unknown>);
          if (child.exitCode !== null) return reject(new Error(`exited ${child.exitCode}: ${stderr}`));
          setTimeout(look, 20);
        };
        look();
      });
    return { child, exited, logged, stderr: () => stderr, stdout: () => stdout };
  }

  it('serves Slack over HTTP, and on SIGTERM stops and exits 0', async () => {
    const bot = start({
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slack.apiUrl,
      PORT: '0',
      PAPERBOY_REFRESH: 'off',
    });
    try {
      const running = await bot.logged('Paperboy is running');
      expect(running).toMatchObject({ mode: 'http', papers: 68, refresh: 'off', llm: 'none (extractive answers)' });
      expect(running.startupMs).toBeGreaterThan(0);
      const response = await deliver(
        `http://127.0.0.1:${running.port}/slack/events`,
        slashCommand({ text: 'distillation', channel_id: 'C0601', response_url: slack.responseUrl('main') }),
      );
      expect(response.status).toBe(200);
      await slack.waitFor((calls) => calls.some((call) => call.method === 'chat.postMessage' && call.args.channel === 'C0601'));
    } finally {
      bot.child.kill('SIGTERM');
    }
    expect(await bot.exited).toBe(0);
    expect(bot.stderr()).toContain('"message":"stopping","signal":"SIGTERM"');
  });

  it('with no Slack credentials, serves the sandbox page and prints its address', async () => {
    const bot = start({ PORT: '0', PAPERBOY_REFRESH: 'off' });
    try {
      expect(await bot.logged('Paperboy sandbox is running (no Slack credentials set)')).toMatchObject({ papers: 68 });
      let url: string | undefined;
      for (let tries = 0; !url && tries < 100; tries++) {
        url = /Open (http:\/\/localhost:\d+) /.exec(bot.stdout())?.[1];
        if (!url) await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(url).toBeDefined();
      const page = await fetch(url!);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('Paperboy');
    } finally {
      bot.child.kill('SIGTERM');
    }
    expect(await bot.exited).toBe(0);
  });

  it('names what is missing and exits 2', async () => {
    const bot = start({ SLACK_CLIENT_ID: '1111.2222', SLACK_SIGNING_SECRET: SIGNING_SECRET });
    expect(await bot.exited).toBe(2);
    expect(bot.stderr()).toBe(
      'paperboy: OAuth (many workspaces) is configured but missing SLACK_CLIENT_SECRET and SLACK_STATE_SECRET (any random string of 16+ characters) and PAPERBOY_TOKEN_KEY (encrypts stored bot tokens: openssl rand -base64 32)\n',
    );
  });
});
