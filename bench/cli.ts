/**
 * Whole-process time of the CLI on the seed corpus, as a user waits for it:
 *   npm run bench:cli [-- --runs 20]
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { projectRoot } from '../src/paths.js';
import { percentile } from './lib/percentile.js';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '20' } } });
const runs = Number(values.runs);
const cli = join(projectRoot, 'dist', 'src', 'cli.js');
const env = { PATH: process.env.PATH ?? '', PAPERBOY_DB: join(mkdtempSync(join(tmpdir(), 'paperboy-bench-')), 'bench.db') };

const commands: Array<[string, string[]]> = [
  ['paperboy ask distillation', ['ask', 'distillation']],
  ['paperboy search distillation --json', ['search', 'distillation', '--json']],
  ['node -e 0 (Node start-up alone)', []],
];

console.log(`CLI wall time, ${runs} runs each, no LLM configured; ${cpus()[0]?.model} x${cpus().length}, node ${process.version}\n`);
console.log('| command | p50 ms | p95 ms | max ms |');
console.log('|---|---:|---:|---:|');
for (const [label, args] of commands) {
  const argv = args.length ? [cli, ...args] : ['-e', '0'];
  execFileSync(process.execPath, argv, { env, stdio: 'ignore' }); // warm the file cache
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    execFileSync(process.execPath, argv, { env, stdio: 'ignore' });
    times.push(performance.now() - start);
  }
  const row = [percentile(times, 50), percentile(times, 95), Math.max(...times)].map((t) => t.toFixed(0));
  console.log(`| ${label} | ${row.join(' | ')} |`);
}
