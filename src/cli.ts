#!/usr/bin/env node
import { createAnswerer, LlmConfigError, loadLlmConfig } from './answer/index.js';
import { runCli } from './cli/run.js';
import { openStore } from './store/open.js';

const write = (stream: NodeJS.WriteStream) => (text: string) => void stream.write(text + '\n');

try {
  process.exitCode = await runCli(process.argv.slice(2), {
    out: write(process.stdout),
    err: write(process.stderr),
    env: process.env,
    answerer: async () => {
      const config = loadLlmConfig(process.env);
      const store = openStore(process.env);
      return { answerer: createAnswerer({ config, cache: store }), live: config !== undefined, close: () => store.close() };
    },
  });
} catch (error) {
  if (!(error instanceof LlmConfigError)) throw error;
  process.stderr.write(`paperboy: ${error.message}\n`);
  process.exitCode = 2;
}
