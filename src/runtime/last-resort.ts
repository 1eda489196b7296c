import type { Logger } from '../lib/logger.js';

/**
 * A promise rejected where nobody awaits it (a library's, or ours by mistake) ends a Node process by
 * default. The bot serves many people: one such rejection is logged, and serving goes on. Every
 * known failure is handled where it happens; this is the last resort, so it logs at warn level
 * with the stack for whoever fixes the cause.
 */
export function logUnhandledRejections(logger: Logger): void {
  process.on('unhandledRejection', (reason) => {
    const error = reason instanceof Error ? reason : new Error(String(reason));
    logger.warn('unhandled rejection (kept running)', { error: error.message, stack: error.stack?.split('\n').slice(0, 6).join(' | ') });
  });
}
