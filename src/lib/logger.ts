/** Anything a log entry carries besides its message; an Error is written with its name, message, code and stack. */
export type LogFields = Record<string, unknown>;

/** The one logger of the app. Failures go to warn (recovered) or error (lost work), with the error itself as `error`. */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
};

export interface ConsoleLoggerOptions {
  /** Write debug entries too (DEBUG=1). */
  debug?: boolean;
  /** Where each JSON line goes; stderr by default. */
  write?: (line: string) => void;
}

/** One JSON line per entry on stderr; debug entries only when `debug` is set; secrets masked. */
export function consoleLogger({ debug = false, write = (line) => void process.stderr.write(line) }: ConsoleLoggerOptions = {}): Logger {
  const entry = (level: string) => (message: string, fields?: LogFields) =>
    write(`${JSON.stringify({ level, message: maskSecrets(message), ...fields }, logValue)}\n`);
  return {
    debug: debug ? entry('debug') : () => {},
    info: entry('info'),
    warn: entry('warn'),
    error: entry('error'),
  };
}

// Slack tokens (xoxb-, xoxp-, xapp-, ...), OpenAI-style keys, Hugging Face tokens, and the password in a URL.
const SECRET_TEXT = /\b(?:xox[a-z]-[\w-]+|xapp-[\w-]+|sk-[\w-]{8,}|hf_[A-Za-z0-9]{8,})|(?<=:\/\/[^:/@\s]+:)[^@\s]+(?=@)/g;
// Fields whose value is a secret whatever it looks like.
const SECRET_FIELD = /token|secret|password|api_?key|authorization|cookie/i;

/** The text with anything that looks like a credential replaced by [secret]. */
export function maskSecrets(text: string): string {
  return text.replace(SECRET_TEXT, '[secret]');
}

function logValue(key: string, value: unknown): unknown {
  if (key && SECRET_FIELD.test(key) && value !== undefined && typeof value !== 'boolean') return '[secret]';
  if (value instanceof Error) return describeError(value);
  if (typeof value === 'string') return maskSecrets(value);
  return value;
}

function describeError(error: Error): Record<string, unknown> {
  const { code, cause } = error as { code?: unknown; cause?: unknown };
  return {
    name: error.name,
    message: error.message,
    ...(code === undefined ? {} : { code }),
    ...(error.stack ? { stack: error.stack } : {}),
    ...(cause === undefined ? {} : { cause }),
  };
}
