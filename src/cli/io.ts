import type { Answerer } from '../answer/types.js';
import type { Settings } from '../config.js';
import type { LogFields, Logger } from '../lib/logger.js';
import type { AppStore } from '../store/open.js';

export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
  /** A status line that replaces itself, on a terminal only (undefined elsewhere). */
  status?: (text: string) => void;
  /** Parsed once at start-up (loadSettings). */
  settings: Settings;
  /** The store: SQLite by default, Postgres when DATABASE_URL is set. */
  store: () => Promise<AppStore>;
  /** The answerer for `ask`: the LLM when configured (`live`: worth streaming), else extractive. */
  answerer: (store: AppStore) => Promise<{ answerer: Answerer; live: boolean }>;
}

/** 0 done, 1 nothing matched (or nothing fetched), 2 bad usage or input. */
export const EXIT = { ok: 0, noMatch: 1, usage: 2 } as const;

/** The logger for a CLI run: warnings and errors as plain lines on stderr, the rest dropped. */
export function terminalLogger(io: Pick<CliIo, 'err'>): Logger {
  const line = (message: string, fields?: LogFields) => io.err(fields ? `${message} ${JSON.stringify(fields, withoutStacks)}` : message);
  return { debug() {}, info() {}, warn: line, error: line };
}

// A person at a terminal reads the error's message; its stack is for the app's own log.
function withoutStacks(_key: string, value: unknown): unknown {
  return value instanceof Error ? value.message : value;
}
