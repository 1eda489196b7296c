import type { Logger } from '../lib/logger.js';

const REFRESH_FAILED = 'paper refresh failed';

/**
 * Start-up with no network: the first Daily Papers refresh fails, which a person starting the bot
 * should read as one plain line (what it means, what the bot does about it), not as a JSON warning.
 * Later failures are logged as usual.
 */
export function withOfflineNotice(
  logger: Logger,
  write: (line: string) => void,
  papers: () => number | undefined,
): { logger: Logger; started: () => void } {
  let startup = true;
  return {
    started: () => (startup = false),
    logger: {
      debug: (message, fields) => logger.debug(message, fields),
      info: (message, fields) => logger.info(message, fields),
      error: (message, fields) => logger.error(message, fields),
      warn(message, fields) {
        if (!startup || message !== REFRESH_FAILED) return logger.warn(message, fields);
        startup = false;
        const count = papers();
        const error = fields?.error;
        const why = typeof error === 'string' ? error : error instanceof Error ? error.message : 'no answer';
        write(
          `paperboy: offline? ${why.replace(/\.$/, '')}. Serving the ${count === undefined ? '' : `${count} `}papers already here; trying again every hour.`,
        );
      },
    },
  };
}
