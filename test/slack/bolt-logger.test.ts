import { App, LogLevel } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { consoleLogger } from '../../src/lib/logger.js';
import { boltLogger } from '../../src/slack/bolt-logger.js';

describe("Bolt's own logs", () => {
  it('go through the app logger as JSON lines, at the level Bolt was given, secrets masked', () => {
    const lines: Record<string, unknown>[] = [];
    const logger = boltLogger(
      consoleLogger({ debug: true, write: (line) => void lines.push(JSON.parse(line) as Record<string, unknown>) }),
    );
    // Bolt sets the level from its logLevel option on the logger it is given.
    new App({ token: 'xoxb-1-2-abc', signingSecret: 's', logger, logLevel: LogLevel.WARN, deferInitialization: true });
    logger.info('not shown');
    logger.warn('An incoming event was not acknowledged within 3 seconds', { token: 'xoxb-1-2-abc' });
    logger.error(new Error('socket closed'));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({
      level: 'warn',
      message: expect.stringMatching(/^An incoming event was not acknowledged within 3 seconds /),
    });
    expect(JSON.stringify(lines)).not.toContain('xoxb-1-2-abc');
    expect(lines[1]).toMatchObject({
      level: 'error',
      message: 'socket closed',
      error: { message: 'socket closed', stack: expect.stringMatching(/socket closed\n\s+at /) },
    });
  });
});
