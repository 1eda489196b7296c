import { describe, expect, it } from 'vitest';
import { consoleLogger } from '../../src/lib/logger.js';

function capture(debug = false) {
  const lines: Record<string, unknown>[] = [];
  const logger = consoleLogger({ debug, write: (line) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
  return { logger, lines };
}

describe('consoleLogger', () => {
  it('writes one JSON object per entry, with its level', () => {
    const { logger, lines } = capture();
    logger.info('started', { papers: 68 });
    logger.warn('slow', { ms: 900 });
    logger.error('lost', { channel: 'C1' });
    expect(lines).toEqual([
      { level: 'info', message: 'started', papers: 68 },
      { level: 'warn', message: 'slow', ms: 900 },
      { level: 'error', message: 'lost', channel: 'C1' },
    ]);
  });

  it('writes debug entries only when DEBUG is on', () => {
    const quiet = capture(false);
    quiet.logger.debug('detail');
    expect(quiet.lines).toEqual([]);
    const loud = capture(true);
    loud.logger.debug('detail');
    expect(loud.lines).toEqual([{ level: 'debug', message: 'detail' }]);
  });

  it("keeps an error's name, message, code, stack and cause", () => {
    const { logger, lines } = capture();
    const error = Object.assign(new Error('socket hang up', { cause: new Error('ECONNRESET') }), { code: 'slack_webapi_request_error' });
    logger.error('listener failed', { error });
    const logged = lines[0]!.error as Record<string, unknown>;
    expect(logged).toMatchObject({
      name: 'Error',
      message: 'socket hang up',
      code: 'slack_webapi_request_error',
      cause: { message: 'ECONNRESET' },
    });
    expect(logged.stack).toMatch(/socket hang up\n\s+at /);
  });

  it('never writes a secret: token-like text is masked, and so are fields named like secrets', () => {
    const { logger, lines } = capture();
    logger.warn('auth failed for xoxb-1234-5678-abcdef', {
      url: 'postgres://paperboy:hunter22@db:5432/paperboy',
      error: new Error('invalid key sk-proj-abcdefghijklmnop'),
      botToken: 'anything at all',
      apiKey: 'also anything',
      hasToken: true,
    });
    const text = JSON.stringify(lines[0]);
    for (const secret of ['xoxb-1234', 'hunter22', 'sk-proj-abcdefghijklmnop', 'anything at all', 'also anything'])
      expect(text).not.toContain(secret);
    expect(lines[0]).toMatchObject({ url: 'postgres://paperboy:[secret]@db:5432/paperboy', botToken: '[secret]', hasToken: true });
  });
});
