import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import type { Logger } from '../lib/logger.js';

const LEVELS = [LogLevel.DEBUG, LogLevel.INFO, LogLevel.WARN, LogLevel.ERROR];

/**
 * Bolt's (and its Web API client's) own log lines, through the app's logger: one JSON line each,
 * errors with their stacks, credentials masked. Bolt sets the level from the app's `logLevel`.
 */
export function boltLogger(logger: Logger): BoltLogger {
  let level = LogLevel.INFO;
  let name = 'bolt';
  const at =
    (entry: LogLevel) =>
    (...parts: unknown[]): void => {
      if (LEVELS.indexOf(entry) < LEVELS.indexOf(level)) return;
      const error = parts.find((part) => part instanceof Error);
      const message = parts
        .filter((part) => part !== error)
        .map(describe)
        .join(' ');
      logger[entry](message || (error as Error | undefined)?.message || '', { source: name, ...(error ? { error } : {}) });
    };
  return {
    debug: at(LogLevel.DEBUG),
    info: at(LogLevel.INFO),
    warn: at(LogLevel.WARN),
    error: at(LogLevel.ERROR),
    setLevel: (next) => {
      level = next;
    },
    getLevel: () => level,
    setName: (next) => {
      name = next;
    },
  };
}

function describe(part: unknown): string {
  if (typeof part === 'string') return part;
  try {
    return JSON.stringify(part) ?? String(part);
  } catch {
    return String(part);
  }
}
