import { describe, expect, it } from 'vitest';
import { loadSlackConfig } from '../../src/slack/config.js';

describe('loadSlackConfig', () => {
  it('uses Socket Mode when an app token is set', () => {
    expect(loadSlackConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' })).toEqual({ mode: 'socket', botToken: 'xoxb-1', appToken: 'xapp-1' });
  });

  it('uses HTTP on PORT (3000 by default) with the signing secret otherwise', () => {
    expect(loadSlackConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' })).toEqual({ mode: 'http', botToken: 'xoxb-1', signingSecret: 's', port: 3000 });
    expect(loadSlackConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', PORT: '8080', SLACK_API_URL: 'http://127.0.0.1:9/api' })).toMatchObject({
      port: 8080,
      apiUrl: 'http://127.0.0.1:9/api/',
    });
  });

  it('names everything missing', () => {
    expect(() => loadSlackConfig({})).toThrow(/missing SLACK_BOT_TOKEN .* and SLACK_APP_TOKEN .* or SLACK_SIGNING_SECRET/);
    expect(() => loadSlackConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: ' ' })).toThrow(/SLACK_SIGNING_SECRET/);
  });

  it('names what is malformed, without echoing secrets', () => {
    const attempt = () => loadSlackConfig({ SLACK_BOT_TOKEN: 'xoxp-secret-user-token', SLACK_SIGNING_SECRET: 's', PORT: 'eighty', SLACK_API_URL: 'file:///etc' });
    expect(attempt).toThrow(/SLACK_BOT_TOKEN: expected a bot token starting with xoxb-/);
    expect(attempt).toThrow(/PORT: expected a port number/);
    expect(attempt).toThrow(/SLACK_API_URL/);
    expect(attempt).not.toThrow(/secret-user-token/);
  });
});
