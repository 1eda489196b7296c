import { describe, expect, it } from 'vitest';
import { loadSettings } from '../../src/config.js';
import { loadPostingConfig as postingConfigOf, loadSlackConfig as slackConfigOf } from '../../src/slack/config.js';

const loadSlackConfig = (env: NodeJS.ProcessEnv) => slackConfigOf(loadSettings(env));
const loadPostingConfig = (env: NodeJS.ProcessEnv) => postingConfigOf(loadSettings(env));

/** 32 bytes, base64: what `openssl rand -base64 32` prints. */
const TOKEN_KEY = 'MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=';

describe('loadSlackConfig', () => {
  it('uses Socket Mode when an app token is set', () => {
    expect(loadSlackConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' })).toEqual({
      mode: 'socket',
      botToken: 'xoxb-1',
      appToken: 'xapp-1',
    });
  });

  it('uses HTTP on PORT (3000 by default) with the signing secret otherwise', () => {
    expect(loadSlackConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' })).toEqual({
      mode: 'http',
      botToken: 'xoxb-1',
      signingSecret: 's',
      port: 3000,
    });
    expect(
      loadSlackConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', PORT: '8080', SLACK_API_URL: 'http://127.0.0.1:9/api' }),
    ).toMatchObject({
      port: 8080,
      apiUrl: 'http://127.0.0.1:9/api/',
    });
  });

  it('names everything missing', () => {
    expect(() => loadSlackConfig({})).toThrow(/missing SLACK_BOT_TOKEN .* and SLACK_APP_TOKEN .* or SLACK_SIGNING_SECRET/);
    expect(() => loadSlackConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: ' ' })).toThrow(/SLACK_SIGNING_SECRET/);
  });

  it('names what is malformed, without echoing secrets', () => {
    const attempt = () =>
      loadSlackConfig({
        SLACK_BOT_TOKEN: 'xoxp-secret-user-token',
        SLACK_SIGNING_SECRET: 's',
        PORT: 'eighty',
        SLACK_API_URL: 'file:///etc',
      });
    expect(attempt).toThrow(/SLACK_BOT_TOKEN: expected a bot token starting with xoxb-/);
    expect(attempt).toThrow(/PORT: expected a port number/);
    expect(attempt).toThrow(/SLACK_API_URL/);
    expect(attempt).not.toThrow(/secret-user-token/);
  });

  describe('OAuth (many workspaces)', () => {
    it('refuses to start without a key to encrypt the stored tokens, or with a key that is not 32 bytes', () => {
      expect(() => loadSlackConfig({ ...oauth, PAPERBOY_TOKEN_KEY: '' })).toThrow(
        /missing PAPERBOY_TOKEN_KEY \(encrypts stored bot tokens/,
      );
      expect(() => loadSlackConfig({ ...oauth, PAPERBOY_TOKEN_KEY: 'c2hvcnQ=' })).toThrow(/PAPERBOY_TOKEN_KEY: expected 32 random bytes/);
      expect(() => loadSlackConfig({ ...oauth, PAPERBOY_TOKEN_KEY_PREVIOUS: 'nope' })).toThrow(
        /PAPERBOY_TOKEN_KEY_PREVIOUS: expected 32 random bytes/,
      );
    });

    const oauth = {
      SLACK_CLIENT_ID: '123.456',
      SLACK_CLIENT_SECRET: 'client-secret',
      SLACK_STATE_SECRET: 'a-long-random-state-secret',
      SLACK_SIGNING_SECRET: 's',
      PAPERBOY_TOKEN_KEY: TOKEN_KEY,
    };

    it('runs over HTTP with the app credentials and no bot token', () => {
      expect(loadSlackConfig({ ...oauth, PORT: '8080' })).toEqual({
        mode: 'oauth',
        oauth: { clientId: '123.456', clientSecret: 'client-secret', stateSecret: 'a-long-random-state-secret' },
        tokenKeys: { current: Buffer.from(TOKEN_KEY, 'base64'), previous: [] },
        signingSecret: 's',
        port: 8080,
      });
    });

    it('names each missing credential, e.g. a client id without its secret', () => {
      expect(() => loadSlackConfig({ SLACK_CLIENT_ID: '123.456', SLACK_SIGNING_SECRET: 's' })).toThrow(
        /OAuth \(many workspaces\) is configured but missing SLACK_CLIENT_SECRET and SLACK_STATE_SECRET/,
      );
      expect(() => loadSlackConfig({ ...oauth, SLACK_SIGNING_SECRET: '' })).toThrow(/missing SLACK_SIGNING_SECRET$/);
      expect(() => loadSlackConfig({ SLACK_CLIENT_SECRET: 'x' })).toThrow(
        /missing SLACK_CLIENT_ID and SLACK_STATE_SECRET .* and SLACK_SIGNING_SECRET/,
      );
    });

    it('refuses a fixed bot token or Socket Mode alongside OAuth', () => {
      expect(() => loadSlackConfig({ ...oauth, SLACK_BOT_TOKEN: 'xoxb-1' })).toThrow(/unset SLACK_BOT_TOKEN/);
      expect(() => loadSlackConfig({ ...oauth, SLACK_APP_TOKEN: 'xapp-1' })).toThrow(/unset SLACK_APP_TOKEN/);
    });

    it('wants a state secret long enough to sign with, without echoing it', () => {
      const attempt = () => loadSlackConfig({ ...oauth, SLACK_STATE_SECRET: 'short' });
      expect(attempt).toThrow(/SLACK_STATE_SECRET: expected at least 16 characters/);
      expect(attempt).not.toThrow(/short/);
    });
  });

  describe('posting outside the app (paperboy digest --post)', () => {
    it('takes the bot token, or the installations when OAuth is configured', () => {
      expect(loadPostingConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_API_URL: 'http://127.0.0.1:9/api' })).toEqual({
        botToken: 'xoxb-1',
        apiUrl: 'http://127.0.0.1:9/api/',
      });
      expect(loadPostingConfig({ SLACK_CLIENT_ID: '123.456', PAPERBOY_TOKEN_KEY: TOKEN_KEY })).toEqual({
        tokenKeys: { current: Buffer.from(TOKEN_KEY, 'base64'), previous: [] },
      });
      expect(() => loadPostingConfig({ SLACK_CLIENT_ID: '123.456' })).toThrow(/missing PAPERBOY_TOKEN_KEY/);
      expect(() => loadPostingConfig({})).toThrow(/missing SLACK_BOT_TOKEN .* or SLACK_CLIENT_ID/);
    });
  });
});
