import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { projectRoot } from '../../src/paths.js';

/**
 * vitest's global setup: compile src/ (and bench/, scripts/) into dist/ before any test runs, so the
 * tests that start the compiled CLI or `npm start` in a child process never run a stale build.
 */
export default function build(): void {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: projectRoot, stdio: 'inherit' });
}
