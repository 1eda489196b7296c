import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { snapshotLine, syntheticId, writeLines } from '../../bench/lib/arxiv-snapshot.js';
import { projectRoot } from '../../src/paths.js';
import { openSqliteStore } from '../../src/store/sqlite.js';

// The compiled CLI, exactly as `paperboy` runs it (npm test builds first).
const CLI = join(projectRoot, 'dist', 'src', 'cli.js');
const dir = mkdtempSync(join(tmpdir(), 'paperboy-cli-import-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const env = (db: string) => ({ PATH: process.env.PATH ?? '', HOME: dir, PAPERBOY_DB: join(dir, db) });

async function paperboy(args: string[], db: string): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [CLI, ...args], { env: env(db) });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** A snapshot-shaped file (bench/lib/arxiv-snapshot.ts): every third record in cs.CL, the others in math.AG; line 7 is not valid JSON. */
async function snapshot(name: string, records: number): Promise<string> {
  const file = join(dir, name);
  await writeLines(file, records, (i) => {
    if (i === 6) return '{"id": "2001.00001", "title": ';
    const { id, created } = syntheticId(i);
    const title = i === 0 ? 'Speculative Decoding for Łukasiewicz Logic' : `Paper number ${i} on lattices`;
    return snapshotLine({
      id,
      title,
      abstract: 'We study things.',
      categories: i % 3 ? ['math.AG'] : ['cs.CL'],
      authors: [['Ünal', 'Zoë']],
      versions: [created],
    });
  });
  return file;
}

describe('paperboy import arxiv-snapshot', () => {
  it('imports the records in --categories, names the bad lines, and a rerun has nothing to do', async () => {
    const file = await snapshot('small.json', 3_000);
    const run = await paperboy(['import', 'arxiv-snapshot', file, '--categories', 'cs.*'], 'small.db');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      'Stored 999 papers through line 3,000 (1 bad line skipped: 1 × not valid JSON); 2000 papers outside the categories left out.',
    );
    expect(run.stderr).toContain(`${file}:7: not valid JSON`);
    // A log (not a terminal) gets progress lines: share of the file, papers stored, speed.
    expect(run.stderr).toMatch(/\d+\.\d% of \d+ MB · \d+ papers? stored/);
    const hits = JSON.parse((await paperboy(['search', 'Łukasiewicz speculative decoding', '--json'], 'small.db')).stdout) as Array<{
      id: string;
    }>;
    expect(hits[0]?.id).toBe('1501.00001');

    const again = await paperboy(['import', 'arxiv-snapshot', file, '--categories', 'cs.*'], 'small.db');
    expect(again).toMatchObject({ code: 0, stdout: expect.stringContaining('was imported whole before (999 papers); nothing to do.') });
  }, 60_000);

  it('stops on Ctrl-C after the batch being stored, and the same command continues there to the same store', async () => {
    const records = 40_000;
    const file = await snapshot('big.json', records);
    const child = spawn(process.execPath, [CLI, 'import', 'arxiv-snapshot', file], { env: env('big.db') });
    let stderr = '';
    let stdout = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    // Interrupted at its first progress line (a tenth of the file).
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
      if (stderr.includes('stored') && !child.killed) child.kill('SIGINT');
    });
    const [code] = await once(child, 'exit');
    expect(code).toBe(2);
    expect(stderr).toContain('Stopped: run the same command again to continue where it stopped.');
    const partly = Number(/Stored (\d+) papers/.exec(stdout)?.[1]);
    expect(partly).toBeGreaterThan(0);
    expect(partly).toBeLessThan(records - 1);

    const rest = await paperboy(['import', 'arxiv-snapshot', file], 'big.db');
    expect(rest.code).toBe(0);
    // The totals count both runs; the bad line was named by the first.
    expect(stderr).toContain(`${file}:7: not valid JSON`);
    expect(rest.stdout).toMatch(new RegExp(`^Stored ${records - 1} papers through line 40,000 \\(resumed at byte [\\d,]+\\)`));
    const store = openSqliteStore(join(dir, 'big.db'));
    try {
      expect(new Set((await store.allPapers()).map((paper) => paper.id)).size).toBe(records - 1);
    } finally {
      await store.close();
    }
  }, 120_000);

  it('says plainly what is wrong with the command line', async () => {
    const usage = 'usage: paperboy import arxiv-snapshot FILE [--categories cs.CL,cs.LG|cs.*]';
    expect((await paperboy(['import', 'kaggle', 'x.json'], 'bad.db')).stderr).toContain(usage);
    expect((await paperboy(['import', 'arxiv-snapshot'], 'bad.db')).stderr).toContain(usage);
    const missing = await paperboy(['import', 'arxiv-snapshot', join(dir, 'nope.json')], 'bad.db');
    expect(missing).toMatchObject({ code: 2, stderr: expect.stringContaining('nope.json: no such file') });
    expect(missing.stderr).not.toContain('    at ');
    const file = await snapshot('tiny.json', 10);
    expect((await paperboy(['import', 'arxiv-snapshot', file, '--categories', 'CS!'], 'bad.db')).stderr).toContain(
      '--categories takes arXiv categories such as cs.CL,cs.LG or cs.*, not "CS!"',
    );
  }, 60_000);
});
