import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/paths.js';

const CLI = join(projectRoot, 'dist', 'src', 'cli.js');
const dir = mkdtempSync(join(tmpdir(), 'paperboy-badfiles-'));

async function paperboy(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { PATH: process.env.PATH ?? '', HOME: dir, PAPERBOY_DB: join(dir, 'paperboy.db') };
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [CLI, ...args], { env, maxBuffer: 1 << 20 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const record = (id: string, title: string) => JSON.stringify({ id, title, abstract: `${title} and mixture of experts routing.` });

describe('corpus and queries files that are not what they should be', () => {
  it('refuses a Latin-1 corpus, naming the file and the first line that is not UTF-8', async () => {
    const corpus = join(dir, 'latin1.jsonl');
    writeFileSync(
      corpus,
      Buffer.concat([Buffer.from(`${record('a', 'Mixture routing')}\n`), Buffer.from(`${record('b', 'Caf\u00e9 experts')}\n`, 'latin1')]),
    );
    const run = await paperboy(['search', 'mixture', '--corpus', corpus]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${corpus}:2: not valid UTF-8`);
  });

  it('stops reading /dev/zero (one endless line) instead of filling memory', async () => {
    const run = await paperboy(['search', 'mixture', '--corpus', '/dev/zero']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('/dev/zero: larger than');
  }, 60_000);

  it('skips an overlong record with its file:line, and keeps the rest', async () => {
    const corpus = join(dir, 'long.jsonl');
    writeFileSync(
      corpus,
      [
        record('a', 'Mixture routing'),
        JSON.stringify({ id: 'b', title: 'Long', abstract: 'x'.repeat(2 << 20) }),
        record('c', 'Mixture experts'),
      ].join('\n'),
    );
    const run = await paperboy(['search', 'mixture', '--corpus', corpus, '--json']);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(`${corpus}:2: skipped: longer than`);
    expect((JSON.parse(run.stdout) as Array<{ id: string }>).map((hit) => hit.id).sort()).toEqual(['a', 'c']);
  });

  it.each([
    ['a null line', ['{"_id":"q1","text":"mixture"}', 'null'], ':2: expected a JSON object'],
    ['an array line', ['[1]'], ':1: expected a JSON object'],
  ])('names file:line for a queries file with %s', async (_, lines, message) => {
    const queries = join(dir, `queries-${lines.length}.jsonl`);
    writeFileSync(queries, `${lines.join('\n')}\n`);
    const run = await paperboy(['search', '--queries', queries, '--json']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${queries}${message}`);
  });

  it('names a queries folder as a folder', async () => {
    const folder = join(dir, 'queries-folder');
    mkdirSync(folder, { recursive: true });
    const run = await paperboy(['search', '--queries', folder, '--json']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${folder}: is a folder`);
  });
});
