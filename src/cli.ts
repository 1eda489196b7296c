#!/usr/bin/env node
import { loadLlmConfig } from './answer/config.js';
import { runCli } from './cli/run.js';
import { loadSettings, SettingsError } from './config.js';
import { openStore } from './store/open.js';

const write = (stream: NodeJS.WriteStream) => (text: string) => void stream.write(text + '\n');

try {
  const settings = loadSettings(process.env);
  process.exitCode = await runCli(process.argv.slice(2), {
    out: write(process.stdout),
    err: write(process.stderr),
    ...(process.stderr.isTTY ? { status: (text: string) => void process.stderr.write(`\r\x1b[2K${text}`) } : {}),
    settings,
    store: () => openStore(settings),
    // Only the commands that answer load the LLM client.
    answerer: async (store) => {
      const config = loadLlmConfig(settings);
      const { createAnswerer } = await import('./answer/index.js');
      return { answerer: createAnswerer({ ...(config ? { config } : {}), cache: store }), live: config !== undefined };
    },
  });
} catch (error) {
  if (!(error instanceof SettingsError)) throw error;
  process.stderr.write(`paperboy: ${error.message}\n`);
  process.exitCode = 2;
}
