#!/usr/bin/env node
import { LlmConfigError, loadLlmConfig } from './answer/config.js';
import { runCli } from './cli/run.js';
import { openStore } from './store/open.js';

const write = (stream: NodeJS.WriteStream) => (text: string) => void stream.write(text + '\n');

try {
  process.exitCode = await runCli(process.argv.slice(2), {
    out: write(process.stdout),
    err: write(process.stderr),
    ...(process.stderr.isTTY ? { status: (text: string) => void process.stderr.write(`\r\x1b[2K${text}`) } : {}),
    env: process.env,
    store: () => openStore(process.env),
    // Only the commands that answer load the LLM client and check its settings.
    answerer: async (store) => {
      const config = loadLlmConfig(process.env);
      const { createAnswerer } = await import('./answer/index.js');
      return { answerer: createAnswerer({ config, cache: store }), live: config !== undefined };
    },
  });
} catch (error) {
  if (!(error instanceof LlmConfigError)) throw error;
  process.stderr.write(`paperboy: ${error.message}\n`);
  process.exitCode = 2;
}
