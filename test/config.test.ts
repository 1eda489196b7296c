import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { loadSettings, SETTING_NAMES, SettingsError } from '../src/config.js';
import { projectRoot } from '../src/paths.js';

/** The variable names in the first column of the README's configuration table. */
function documentedVariables(): string[] {
  const readme = readFileSync(join(projectRoot, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('\n## ', readme.indexOf('## Configuration') + 1));
  const rows = section.split('\n').filter((line) => line.startsWith('| `'));
  return rows.flatMap((row) => [...row.split('|')[1]!.matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((match) => match[1]!));
}

describe('settings', () => {
  it('the README documents every variable the schema reads, and no other', () => {
    const documented = documentedVariables();
    expect([...documented].sort()).toEqual([...SETTING_NAMES].sort());
    expect(new Set(documented).size).toBe(documented.length);
  });

  it('parses an empty environment to the embedded defaults', () => {
    expect(loadSettings({})).toMatchObject({
      PORT: 3000,
      PAPERBOY_REFRESH: 'on',
      DEBUG: false,
      OPENAI_MODEL: 'gpt-4.1-mini',
      LLM_TIMEOUT_MS: 20_000,
    });
  });

  it('names each bad variable on one line, without echoing its value', () => {
    const attempt = () =>
      loadSettings({
        PORT: 'eighty',
        PAPERBOY_DIGEST_LEASE_MS: '5 min',
        DATABASE_URL: 'mysql://u:pw-secret@h/db',
        PAPERBOY_REFRESH: 'sometimes',
      });
    expect(attempt).toThrow(SettingsError);
    expect(attempt).toThrow(
      /^invalid setting PORT: expected a port number; DATABASE_URL: expected a postgres:\/\/ URL; PAPERBOY_REFRESH: expected on or off; PAPERBOY_DIGEST_LEASE_MS: expected a whole number from 100 to 3600000$/,
    );
    expect(attempt).not.toThrow(/eighty|5 min|pw-secret|sometimes/);
    expect(() => loadSettings({ PORT: '70000' })).toThrow(/PORT: expected a port number from 0 to 65535/);
  });

  it('npm start with a bad value: one paperboy: line naming the variable, exit 2', async () => {
    const main = join(projectRoot, 'dist', 'src', 'main.js');
    const run = promisify(execFile)(process.execPath, [main], { env: { PATH: process.env.PATH ?? '', PORT: 'eighty' } });
    const failure = await run.then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failure?.code).toBe(2);
    expect(failure?.stderr).toBe('paperboy: invalid setting PORT: expected a port number\n');
  });
});
