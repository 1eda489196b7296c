import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/paths.js';

describe('the last-resort handler', () => {
  it('logs an unhandled rejection and keeps the process running', async () => {
    // A child process, as main.ts installs it: the test runner has handlers of its own.
    const script = `
      import { consoleLogger } from ${JSON.stringify(join(projectRoot, 'dist', 'src', 'lib', 'logger.js'))};
      import { logUnhandledRejections } from ${JSON.stringify(join(projectRoot, 'dist', 'src', 'runtime', 'last-resort.js'))};
      logUnhandledRejections(consoleLogger());
      Promise.reject(new TypeError("Cannot read properties of null (reading 'ssl_check')"));
      setTimeout(() => process.stdout.write('still serving'), 200);
    `;
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script]);
    expect(stdout).toBe('still serving');
    const line = JSON.parse(
      stderr
        .trim()
        .split('\n')
        .find((l) => l.includes('unhandled rejection'))!,
    ) as Record<string, string>;
    expect(line).toMatchObject({
      level: 'warn',
      message: 'unhandled rejection (kept running)',
      error: "Cannot read properties of null (reading 'ssl_check')",
    });
  });
});
