import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LogLevel } from '@slack/bolt';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSettings } from '../../src/config.js';
import { silentLogger } from '../../src/lib/logger.js';
import { startPaperboy, type Runtime } from '../../src/runtime/start.js';
import { FakeSlack, parseArgs } from '../../src/fake-slack/web-api.js';
import { deliver, sign, SIGNING_SECRET, type SlackRequest } from '../../src/fake-slack/signed-requests.js';
import { installedWorkspaceClients } from '../../src/slack/clients.js';
import { botScopesIn, manifestBotScopes } from '../../src/slack/oauth-scopes.js';
import type { AppStore } from '../../src/store/open.js';

const CLIENT_ID = '1111.2222';
const CLIENT_SECRET = 'oauth-client-secret';
/** 32 bytes, base64: what `openssl rand -base64 32` prints. */
const TOKEN_KEY = 'MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=';

/** A workspace that will install the app: the code Slack hands its installer, and the token it gets. */
interface Workspace {
  teamId: string;
  code: string;
  token: string;
}

describe('many workspaces over OAuth', () => {
  let slack: FakeSlack;
  let oauth: OAuthEndpoint;
  let runtime: Runtime;
  let base: string;
  let dir: string;
  const alpha: Workspace = { teamId: 'TALPHA', code: 'code-alpha', token: '' };
  const beta: Workspace = { teamId: 'TBETA', code: 'code-beta', token: '' };

  beforeAll(async () => {
    slack = await new FakeSlack().start();
    alpha.token = slack.addWorkspace(alpha.teamId);
    beta.token = slack.addWorkspace(beta.teamId);
    oauth = await startOAuthEndpoint(slack, [alpha, beta]);
    dir = mkdtempSync(join(tmpdir(), 'paperboy-oauth-'));
    runtime = await startPaperboy({
      settings: loadSettings({
        SLACK_CLIENT_ID: CLIENT_ID,
        SLACK_CLIENT_SECRET: CLIENT_SECRET,
        SLACK_STATE_SECRET: 'a-long-random-state-secret',
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        PAPERBOY_TOKEN_KEY: TOKEN_KEY,
        SLACK_API_URL: oauth.apiUrl,
        PORT: '0',
        PAPERBOY_DB: join(dir, 'paperboy.db'),
        PAPERBOY_REFRESH: 'off',
      }),
      logger: silentLogger,
      host: '127.0.0.1',
      app: { logLevel: LogLevel.ERROR, clientOptions: { retryConfig: { retries: 0 } } },
    });
    base = `http://127.0.0.1:${runtime.port}`;
  });
  afterAll(async () => {
    await runtime?.stop();
    await oauth?.close();
    await slack?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const store = (): AppStore => runtime.services.store;

  /** What a browser does: open /slack/install, follow "Add to Slack", come back with Slack's code. */
  async function install(workspace: Workspace): Promise<Response> {
    const page = await fetch(`${base}/slack/install`);
    expect(page.status).toBe(200);
    const cookie = page.headers.get('set-cookie')!.split(';')[0]!;
    const authorize = new URL(/<a href="([^"]+)"/.exec(await page.text())![1]!.replaceAll('&amp;', '&'));
    expect(authorize.searchParams.get('client_id')).toBe(CLIENT_ID);
    expect(authorize.searchParams.get('scope')).toBe(manifestBotScopes().join(','));
    const state = authorize.searchParams.get('state')!;
    return fetch(`${base}/slack/oauth_redirect?code=${workspace.code}&state=${encodeURIComponent(state)}`, { headers: { cookie } });
  }

  async function papersCommand(teamId: string, channel: string): Promise<number> {
    const response = await deliver(`${base}/slack/events`, slashCommandFrom(teamId, channel, slack.responseUrl(channel)));
    return response.status;
  }

  it('installs into a workspace: exchanges the code, stores the installation, authorizes its requests with its own token', async () => {
    const done = await install(alpha);
    expect(done.status).toBe(200);
    expect(oauth.exchanges).toEqual([{ code: alpha.code, client_id: CLIENT_ID, client_secret: CLIENT_SECRET }]);

    const stored = JSON.parse((await store().getInstallation({ teamId: alpha.teamId }))!) as {
      bot: { token: string };
      team: { id: string };
    };
    expect(stored.team.id).toBe(alpha.teamId);
    expect(stored.bot.token).toBe(alpha.token);
    // At rest, in the database file, the installation is AES-256-GCM ciphertext: no token in clear.
    const raw = new Database(join(dir, 'paperboy.db'), { readonly: true });
    const row = raw.prepare('SELECT installation FROM installations WHERE team_id = ?').get(alpha.teamId) as { installation: string };
    raw.close();
    expect(row.installation).toMatch(/^enc:v1:/);
    expect(row.installation).not.toContain(alpha.token);
    expect(row.installation).not.toContain('xoxb-');

    expect(await papersCommand(alpha.teamId, 'CALPHA1')).toBe(200);
    const post = await slack.waitFor((calls) =>
      calls.find((call) => call.method === 'chat.postMessage' && call.args.channel === 'CALPHA1'),
    );
    expect(post.token).toBe(alpha.token);
    expect(post.response?.ok).toBe(true);
  });

  it('serves a second workspace side by side, each with its own token', async () => {
    expect((await install(beta)).status).toBe(200);
    expect(await papersCommand(beta.teamId, 'CBETA1')).toBe(200);
    expect(await papersCommand(alpha.teamId, 'CALPHA2')).toBe(200);
    const postTo = (channel: string) =>
      slack.waitFor((calls) => calls.find((call) => call.method === 'chat.postMessage' && call.args.channel === channel));
    expect((await postTo('CBETA1')).token).toBe(beta.token);
    expect((await postTo('CALPHA2')).token).toBe(alpha.token);
  });

  it('refuses a workspace that never installed the app, and rejects a redirect not started in this browser', async () => {
    const before = slack.calls.length;
    // Bolt acknowledges the request (Slack would retry otherwise) and calls no listener.
    expect(await papersCommand('TSTRANGER', 'CSTRANGER')).toBe(200);
    const forged = await fetch(`${base}/slack/oauth_redirect?code=${alpha.code}&state=forged`);
    expect(forged.status).not.toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const forStranger = slack.calls.slice(before).filter((call) => call.args.channel === 'CSTRANGER' || call.args.id === 'CSTRANGER');
    expect(forStranger).toEqual([]);
    expect(oauth.exchanges.map((e) => e.code)).toEqual([alpha.code, beta.code]);
    expect(await store().getInstallation({ teamId: 'TSTRANGER' })).toBeUndefined();
  });

  it("gives work without a request (digests) each workspace's client, kept while its token stays the same", async () => {
    const clientFor = installedWorkspaceClients(store(), { slackApiUrl: slack.apiUrl });
    const alphaClient = await clientFor(alpha.teamId);
    expect(alphaClient.token).toBe(alpha.token);
    expect(await clientFor(alpha.teamId)).toBe(alphaClient);
    expect((await clientFor(beta.teamId)).token).toBe(beta.token);
    expect((await alphaClient.auth.test()).team_id).toBe(alpha.teamId);
    await expect(clientFor('TSTRANGER')).rejects.toThrow(/not installed in workspace TSTRANGER/);
  });

  it('forgets a workspace that uninstalls the app', async () => {
    const uninstalled = eventFrom(beta.teamId, { type: 'app_uninstalled' }, 'EvUninstall1');
    expect((await deliver(`${base}/slack/events`, uninstalled)).status).toBe(200);
    await waitUntil(async () => (await store().getInstallation({ teamId: beta.teamId })) === undefined);
    await expect(installedWorkspaceClients(store())(beta.teamId)).rejects.toThrow(/not installed/);
    expect(await store().getInstallation({ teamId: alpha.teamId })).toBeDefined();
  });
});

describe('the OAuth scopes', () => {
  it('are the bot scopes of manifest.yml', () => {
    const scopes = manifestBotScopes();
    expect(scopes).toEqual(expect.arrayContaining(['commands', 'chat:write', 'app_mentions:read', 'users:read']));
    expect(scopes.every((scope) => /^[a-z_.]+(:[a-z_.]+)?$/.test(scope))).toBe(true);
  });

  it('are read from oauth_config.scopes.bot only', () => {
    const manifest = [
      'features:',
      '  bot_user:',
      '    display_name: bot   # not a scope',
      'oauth_config:',
      '  redirect_urls:',
      '    - https://example.com/slack/oauth_redirect',
      '  scopes:',
      '    user:',
      '      - search:read',
      '    bot:',
      '      # posting',
      '      - chat:write',
      '      - "commands"',
      '',
      '      - users:read # profiles',
      '    other:',
      '      - nope',
      'settings:',
      '  bot:',
      '    - nope',
    ].join('\n');
    expect(botScopesIn(manifest)).toEqual(['chat:write', 'commands', 'users:read']);
    expect(botScopesIn('oauth_config:\n  scopes:\n    user:\n      - a\n')).toEqual([]);
  });
});

function slashCommandFrom(teamId: string, channel: string, responseUrl: string): SlackRequest {
  const form = new URLSearchParams({
    team_id: teamId,
    channel_id: channel,
    user_id: 'U0001',
    command: '/papers',
    text: 'distillation',
    api_app_id: 'A0001',
    is_enterprise_install: 'false',
    response_url: responseUrl,
    trigger_id: '1.2.3',
  });
  return sign(form.toString(), 'application/x-www-form-urlencoded');
}

function eventFrom(teamId: string, event: Record<string, unknown>, eventId: string): SlackRequest {
  const body = JSON.stringify({
    team_id: teamId,
    api_app_id: 'A0001',
    event: { event_ts: '1700000000.000001', ...event },
    type: 'event_callback',
    event_id: eventId,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ team_id: teamId, user_id: 'UBOT', is_bot: true, is_enterprise_install: false }],
  });
  return sign(body, 'application/json');
}

interface OAuthEndpoint {
  apiUrl: string;
  /** The oauth.v2.access calls, as Slack received them. */
  exchanges: Array<Record<string, unknown>>;
  close(): Promise<void>;
}

/**
 * Slack's oauth.v2.access in front of the fake Web API: a known code for the app's credentials
 * gets that workspace's bot token; every other method goes on to the fake Slack.
 */
async function startOAuthEndpoint(slack: FakeSlack, workspaces: Workspace[]): Promise<OAuthEndpoint> {
  const exchanges: OAuthEndpoint['exchanges'] = [];
  const server: Server = createServer((req, res) => void relay(req, res));
  async function relay(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const contentType = String(req.headers['content-type'] ?? '');
    if (req.url === '/api/oauth.v2.access') {
      const args = parseArgs(body, contentType);
      exchanges.push({ code: args.code, client_id: args.client_id, client_secret: args.client_secret });
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(exchange(args, workspaces)));
      return;
    }
    const answer = await fetch(new URL(req.url!, slack.origin), {
      method: req.method!,
      headers: { 'content-type': contentType, authorization: String(req.headers.authorization ?? '') },
      ...(req.method === 'POST' ? { body } : {}),
    });
    res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' }).end(await answer.text());
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    apiUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`,
    exchanges,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function exchange(args: Record<string, unknown>, workspaces: Workspace[]): Record<string, unknown> {
  if (args.client_id !== CLIENT_ID || args.client_secret !== CLIENT_SECRET) return { ok: false, error: 'invalid_client_id' };
  const workspace = workspaces.find((w) => w.code === args.code);
  if (!workspace) return { ok: false, error: 'invalid_code' };
  return {
    ok: true,
    app_id: 'A0001',
    authed_user: { id: 'U0001' },
    scope: manifestBotScopes().join(','),
    token_type: 'bot',
    access_token: workspace.token,
    bot_user_id: 'UBOT',
    team: { id: workspace.teamId, name: workspace.teamId },
    enterprise: null,
    is_enterprise_install: false,
  };
}

async function waitUntil(condition: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
