export type LogFields = Record<string, string | number | boolean | undefined>;

/** What the answer layer logs through; inject the app's own. Nothing secret is ever passed to it. */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
}

export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
};

/** One JSON line per entry on stderr; debug entries only when `debug` is set. */
export function consoleLogger({ debug = false } = {}): Logger {
  const write = (level: string, message: string, fields?: LogFields) =>
    process.stderr.write(`${JSON.stringify({ level, message, ...fields })}\n`);
  return {
    debug: (message, fields) => debug && write('debug', message, fields),
    info: (message, fields) => write('info', message, fields),
    warn: (message, fields) => write('warn', message, fields),
  };
}
