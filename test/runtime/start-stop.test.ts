import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/paths.js';

const dir = mkdtempSync(join(tmpdir(), 'paperboy-start-stop-'));
const env = (extra: Record<string, string>) => ({
  PATH: process.env.PATH ?? '',
  HOME: process.env.HOME ?? dir,
  PAPERBOY_DB: join(dir, 'paperboy.db'),
  PAPERBOY_REFRESH: 'off',
  ...extra,
});

function run(command: string, args: string[], extra: Record<string, string>) {
  const child = spawn(command, args, { cwd: projectRoot, env: env(extra) });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { child, exited, stdout: () => stdout, stderr: () => stderr };
}

async function until<T>(find: () => T | undefined, ms: number): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const found = find();
    if (found) return found;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const answers = (url: string) =>
  fetch(url).then(
    (response) => response.ok,
    () => false,
  );

describe('npm start, as a person or a process manager runs it', () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('SIGTERM to npm stops the server it started, within 5 s (no orphaned node left serving)', async () => {
    const npm = run('npm', ['start', '--silent'], { PORT: '0' });
    const url = await until(() => /Open (http:\/\/localhost:\d+)/.exec(npm.stdout())?.[1], 20_000);
    expect(await answers(url)).toBe(true);
    const signalled = Date.now();
    npm.child.kill('SIGTERM');
    while ((await answers(url)) && Date.now() - signalled < 5_000) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await answers(url)).toBe(false);
    await npm.exited;
    expect(Date.now() - signalled).toBeLessThan(5_000);
  }, 30_000);

  it('offline at start-up: one readable line, not a JSON warning', async () => {
    const main = run(process.execPath, [join(projectRoot, 'dist', 'src', 'main.js')], {
      PORT: '0',
      PAPERBOY_REFRESH: 'on',
      HF_ENDPOINT: 'http://127.0.0.1:9',
    });
    try {
      await until(() => main.stderr().includes('paperboy: offline?') || undefined, 15_000);
      const line = main
        .stderr()
        .split('\n')
        .find((l) => l.startsWith('paperboy: offline?'));
      expect(line).toMatch(
        /^paperboy: offline\? Hugging Face unavailable for \d{4}-\d\d-\d\d after \d attempts \(network error: .*\)\. Serving the 68 papers already here; trying again every hour\.$/,
      );
      expect(main.stderr()).not.toContain('paper refresh failed');
    } finally {
      main.child.kill('SIGTERM');
      await main.exited;
    }
  }, 25_000);

  it('a PORT in use: one line saying so and how to pick another, exit 2', async () => {
    const taken: Server = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as AddressInfo).port;
    try {
      const main = run(process.execPath, [join(projectRoot, 'dist', 'src', 'main.js')], { PORT: String(port) });
      expect(await main.exited).toBe(2);
      expect(main.stderr()).toBe(
        `paperboy: port ${port} is already in use (another Paperboy, or another server); stop it, or pick another port: PORT=${port + 1} npm start\n`,
      );
    } finally {
      taken.close();
    }
  }, 20_000);
});
