import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/paths.js';
import { FakeSlack } from '../../src/fake-slack/web-api.js';

const MAIN = join(projectRoot, 'dist', 'src', 'main.js');
const dir = mkdtempSync(join(tmpdir(), 'paperboy-startup-'));

/** `npm start` with these settings: its exit code and everything it wrote to stderr. */
function start(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [MAIN], { env: { PATH: process.env.PATH ?? '', PAPERBOY_REFRESH: 'off', ...env } });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  return new Promise((resolve) =>
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    }),
  );
}

describe('start-up errors: one paperboy: line naming the setting or file, exit 2', () => {
  let slack: FakeSlack;
  beforeAll(async () => {
    slack = await new FakeSlack().start();
  });
  afterAll(async () => {
    await slack.stop();
  });
  const http = () => ({ SLACK_BOT_TOKEN: 'xoxb-test-token', SLACK_SIGNING_SECRET: 's', PORT: '0', SLACK_API_URL: slack.apiUrl });

  it.each([
    [
      'a file that is not a database',
      () => {
        const file = join(dir, 'not-a-db.db');
        writeFileSync(file, 'this is not SQLite'.repeat(100));
        return [
          { PAPERBOY_DB: file },
          new RegExp(`^paperboy: PAPERBOY_DB ${file.replaceAll('/', '\\/')}: file is not a database\\n$`),
        ] as const;
      },
    ],
    [
      'DATABASE_URL that is not a URL',
      () => [{ DATABASE_URL: 'not a url' }, /^paperboy: invalid setting DATABASE_URL: expected a postgres:\/\/ URL\n$/] as const,
    ],
    [
      'DATABASE_URL where nothing listens',
      () =>
        [
          { DATABASE_URL: 'postgres://u:secret-pw@127.0.0.1:1/db' },
          /^paperboy: DATABASE_URL: nothing accepts connections at 127\.0\.0\.1:1 \(ECONNREFUSED\): is PostgreSQL running\?\n$/,
        ] as const,
    ],
  ])('%s', async (_, build) => {
    const [env, expected] = build();
    const run = await start({ ...http(), PAPERBOY_DB: join(dir, 'ok.db'), ...env });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(expected);
    expect(run.stderr).not.toContain('secret-pw');
  });

  it('a bot token Slack refuses', async () => {
    const run = await start({ ...http(), SLACK_BOT_TOKEN: 'xoxb-revoked', PAPERBOY_DB: join(dir, 'token.db') });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('paperboy: SLACK_BOT_TOKEN: Slack refused the token (invalid_auth)\n');
  });
});
