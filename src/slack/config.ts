import { z } from 'zod';
import { optional, type SettingsOf } from '../lib/settings.js';
import { parseTokenKey, type TokenKeys } from './token-encryption.js';

/** Bolt's OAuth app credentials (Basic Information page): the app installs itself in many workspaces. */
export interface OAuthCredentials {
  clientId: string;
  clientSecret: string;
  /** Signs the OAuth `state` that ties the redirect back to the browser that started the install. */
  stateSecret: string;
}

export type SlackConfig =
  /** One workspace over Socket Mode: no public URL needed. */
  | { mode: 'socket'; botToken: string; appToken: string; apiUrl?: string }
  /** One workspace over HTTP. */
  | { mode: 'http'; botToken: string; signingSecret: string; port: number; apiUrl?: string }
  /** Any number of workspaces over HTTP, each with the bot token its installation stored. */
  | { mode: 'oauth'; oauth: OAuthCredentials; tokenKeys: TokenKeys; signingSecret: string; port: number; apiUrl?: string };

/** What posting without a Slack request needs (the CLI's `digest --post`): one token, or the installations. */
export interface PostingConfig {
  /** Single-workspace mode; without it every workspace's token comes from its OAuth installation. */
  botToken?: string;
  /** OAuth: the keys the stored installations are encrypted with. */
  tokenKeys?: TokenKeys;
  apiUrl?: string;
}

/** Missing or malformed Slack settings; the message names every variable at fault. */
export class SlackConfigError extends Error {
  override name = 'SlackConfigError';
}

/** Slack's part of the settings schema (src/config.ts): each variable, checked and documented. */
export const SLACK_SETTINGS = {
  SLACK_BOT_TOKEN: optional(
    z.string().trim().startsWith('xoxb-', { error: 'expected a bot token starting with xoxb- (OAuth & Permissions page)' }),
  ).describe('one workspace: the bot token'),
  SLACK_APP_TOKEN: optional(
    z.string().trim().startsWith('xapp-', { error: 'expected an app-level token starting with xapp- (Basic Information page)' }),
  ).describe('one workspace over Socket Mode: the app-level token'),
  SLACK_SIGNING_SECRET: optional(z.string().trim()).describe("over HTTP: checks Slack's requests"),
  SLACK_CLIENT_ID: optional(z.string().trim()).describe('many workspaces through OAuth'),
  SLACK_CLIENT_SECRET: optional(z.string().trim()).describe('many workspaces through OAuth'),
  SLACK_STATE_SECRET: optional(z.string().trim().min(16, { error: 'expected at least 16 characters (any random string)' })).describe(
    'many workspaces through OAuth: signs the install state',
  ),
  SLACK_API_URL: optional(z.url({ protocol: /^https?$/, error: 'expected an http(s) URL such as https://slack.com/api/' })).describe(
    'another Web API base URL (tests, proxies)',
  ),
  PAPERBOY_TOKEN_KEY: optional(z.string().trim()).describe(
    'OAuth only, required: 32 random bytes (base64, or 64 hex digits) that encrypt the stored installations',
  ),
  PAPERBOY_TOKEN_KEY_PREVIOUS: optional(z.string().trim()).describe(
    'comma-separated keys used before a rotation, still accepted for reading',
  ),
};

/** Where Slack's requests arrive over HTTP (the settings' PORT). */
type Env = SettingsOf<typeof SLACK_SETTINGS> & { PORT: number };

/**
 * OAuth (many workspaces, HTTP) when SLACK_CLIENT_ID is set; else one workspace with SLACK_BOT_TOKEN,
 * over Socket Mode when SLACK_APP_TOKEN is set (no public URL needed), else HTTP on PORT. Over HTTP,
 * Slack's requests are checked against SLACK_SIGNING_SECRET.
 */
export function loadSlackConfig(parsed: Env): SlackConfig {
  return parsed.SLACK_CLIENT_ID || parsed.SLACK_CLIENT_SECRET || parsed.SLACK_STATE_SECRET
    ? oauthConfig(parsed)
    : singleWorkspaceConfig(parsed);
}

/** The token (or the installations) and API URL for posting digests outside the app. */
export function loadPostingConfig(parsed: Omit<Env, 'PORT'>): PostingConfig {
  if (!parsed.SLACK_BOT_TOKEN && !parsed.SLACK_CLIENT_ID) {
    throw new SlackConfigError(
      "missing SLACK_BOT_TOKEN (one workspace, xoxb-...) or SLACK_CLIENT_ID (OAuth: each workspace's token comes from its installation in the store)",
    );
  }
  if (parsed.SLACK_BOT_TOKEN) return { botToken: parsed.SLACK_BOT_TOKEN, ...apiUrlOf(parsed) };
  if (!parsed.PAPERBOY_TOKEN_KEY)
    throw new SlackConfigError(
      'OAuth (SLACK_CLIENT_ID) is configured but missing PAPERBOY_TOKEN_KEY (the key the stored bot tokens are encrypted with)',
    );
  return { tokenKeys: tokenKeysOf(parsed), ...apiUrlOf(parsed) };
}

function singleWorkspaceConfig(env: Env): SlackConfig {
  const { SLACK_BOT_TOKEN: botToken, SLACK_APP_TOKEN: appToken, SLACK_SIGNING_SECRET: signingSecret, PORT: port } = env;
  const missing: string[] = [];
  if (!botToken) missing.push('SLACK_BOT_TOKEN (the bot token, xoxb-...)');
  if (!appToken && !signingSecret) {
    missing.push('SLACK_APP_TOKEN (xapp-..., for Socket Mode) or SLACK_SIGNING_SECRET (for HTTP mode)');
  }
  if (missing.length) throw new SlackConfigError(`missing ${missing.join(' and ')}`);
  const common = { botToken: botToken!, ...apiUrlOf(env) };
  return appToken ? { mode: 'socket', appToken, ...common } : { mode: 'http', signingSecret: signingSecret!, port, ...common };
}

function oauthConfig(env: Env): SlackConfig {
  const {
    SLACK_CLIENT_ID: clientId,
    SLACK_CLIENT_SECRET: clientSecret,
    SLACK_STATE_SECRET: stateSecret,
    SLACK_SIGNING_SECRET: signingSecret,
  } = env;
  const missing = [
    clientId ? '' : 'SLACK_CLIENT_ID',
    clientSecret ? '' : 'SLACK_CLIENT_SECRET',
    stateSecret ? '' : 'SLACK_STATE_SECRET (any random string of 16+ characters)',
    signingSecret ? '' : 'SLACK_SIGNING_SECRET',
    env.PAPERBOY_TOKEN_KEY ? '' : 'PAPERBOY_TOKEN_KEY (encrypts stored bot tokens: openssl rand -base64 32)',
  ].filter(Boolean);
  if (missing.length) throw new SlackConfigError(`OAuth (many workspaces) is configured but missing ${missing.join(' and ')}`);
  // Each workspace's token comes from its installation; a fixed one would be used for all of them.
  const conflicting = [
    env.SLACK_BOT_TOKEN ? 'SLACK_BOT_TOKEN' : '',
    env.SLACK_APP_TOKEN ? 'SLACK_APP_TOKEN (OAuth runs over HTTP)' : '',
  ].filter(Boolean);
  if (conflicting.length) throw new SlackConfigError(`OAuth (SLACK_CLIENT_ID) is configured: unset ${conflicting.join(' and ')}`);
  const oauth = { clientId: clientId!, clientSecret: clientSecret!, stateSecret: stateSecret! };
  return { mode: 'oauth', oauth, tokenKeys: tokenKeysOf(env), signingSecret: signingSecret!, port: env.PORT, ...apiUrlOf(env) };
}

function tokenKeysOf(env: Pick<Env, 'PAPERBOY_TOKEN_KEY' | 'PAPERBOY_TOKEN_KEY_PREVIOUS'>): TokenKeys {
  try {
    const previous = (env.PAPERBOY_TOKEN_KEY_PREVIOUS ?? '').split(',').filter((key) => key.trim());
    return {
      current: parseTokenKey(env.PAPERBOY_TOKEN_KEY!, 'PAPERBOY_TOKEN_KEY'),
      previous: previous.map((key) => parseTokenKey(key, 'PAPERBOY_TOKEN_KEY_PREVIOUS')),
    };
  } catch (error) {
    throw new SlackConfigError((error as Error).message);
  }
}

function apiUrlOf(env: Pick<Env, 'SLACK_API_URL'>): { apiUrl?: string } {
  return env.SLACK_API_URL ? { apiUrl: withTrailingSlash(env.SLACK_API_URL) } : {};
}

// The Web API client joins method names onto this base URL.
function withTrailingSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}
