import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { blockProblems } from './block-kit-rules.js';

/** One request the app made: a Web API method, or a POST to a response_url ("response_url"). */
export interface SlackCall {
  method: string;
  args: Record<string, unknown>;
  token: string | undefined;
  at: number;
  /** What the fake answered (JSON), once it has. */
  response?: Record<string, unknown>;
}

export type Failure =
  | { status: 429; /** Seconds, sent as Retry-After. */ retryAfter?: number }
  | { status: 500 | 502 | 503 }
  /** A Web API error as Slack reports most: HTTP 200 with ok: false. */
  | { status: 200; error: string };

export const BOT_TOKEN = 'xoxb-test-token';
export const BOT_USER_ID = 'UBOT';
export const BOT_ID = 'BBOT';
export const TEAM_ID = 'T0001';

const MAX_MESSAGE_BLOCKS = 50;
const MAX_VIEW_BLOCKS = 100;
const MAX_TEXT = 40_000;
const JSON_ARGS = new Set(['blocks', 'attachments', 'view', 'metadata']);

type Handler = (args: Record<string, unknown>) => Record<string, unknown>;

/**
 * A loopback stand-in for Slack's Web API (under /api/) and for response_url endpoints (under
 * /respond/), answering as Slack does and checking messages as strictly as Slack would.
 */
export class FakeSlack {
  readonly calls: SlackCall[] = [];
  private server: Server | undefined;
  private readonly failures = new Map<string, Failure[]>();
  private readonly notMemberOf = new Set<string>();
  private readonly messages = new Map<string, Record<string, unknown>>();
  private lastTs = 1_700_000_000_000_000;
  private readonly handlers: Record<string, Handler> = {
    'auth.test': () => ({ url: 'https://paperboy-test.slack.com/', team: 'Test', user: 'paperboy', team_id: TEAM_ID, user_id: BOT_USER_ID, bot_id: BOT_ID }),
    'chat.postMessage': (args) => this.postMessage(args),
    'chat.update': (args) => this.update(args),
    'chat.postEphemeral': (args) => this.postEphemeral(args),
    'views.publish': (args) => this.publishView(args),
    'users.info': (args) => ({ user: { id: args.user, name: 'someone', real_name: 'Some One', is_bot: false } }),
  };

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  get origin(): string {
    const { port } = this.server!.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  /** The Web API base URL to give the app's client (`slackApiUrl`). */
  get apiUrl(): string {
    return `${this.origin}/api/`;
  }

  /** A fresh response_url for one slash command or interaction. */
  responseUrl(id: string): string {
    return `${this.origin}/respond/${encodeURIComponent(id)}`;
  }

  /** The next `count` calls of `method` fail this way. */
  failNext(method: string, failure: Failure, count = 1): void {
    this.failures.set(method, [...(this.failures.get(method) ?? []), ...Array<Failure>(count).fill(failure)]);
  }

  /** A channel the bot is not a member of: posting there fails with not_in_channel. */
  excludeBotFrom(channel: string): void {
    this.notMemberOf.add(channel);
  }

  callsOf(method: string): SlackCall[] {
    return this.calls.filter((call) => call.method === method);
  }

  /** Waits until `predicate` holds over the calls so far, polling. */
  async waitFor<T>(predicate: (calls: SlackCall[]) => T | undefined | false, timeoutMs = 10_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const result = predicate(this.calls);
      if (result) return result;
      if (Date.now() > deadline) {
        const seen = this.calls.map((call) => call.method).join(', ') || 'none';
        throw new Error(`fake Slack: condition not met within ${timeoutMs} ms (calls: ${seen})`);
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** The message as it now stands in Slack, after every update. */
  message(channel: string, ts: string): Record<string, unknown> | undefined {
    return this.messages.get(`${channel}/${ts}`);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const url = new URL(req.url ?? '/', this.origin);
    const args = parseArgs(body, String(req.headers['content-type'] ?? ''));
    if (req.method === 'POST' && url.pathname.startsWith('/respond/')) {
      this.calls.push({ method: 'response_url', args: { ...args, id: decodeURIComponent(url.pathname.slice(9)) }, token: undefined, at: Date.now() });
      return send(res, 200, { ok: true });
    }
    const method = url.pathname.startsWith('/api/') ? url.pathname.slice(5) : '';
    const token = bearer(req.headers.authorization) ?? (typeof args.token === 'string' ? args.token : undefined);
    const call: SlackCall = { method, args, token, at: Date.now() };
    this.calls.push(call);
    const { status, body: response, headers } = this.answer(method, args, token);
    call.response = response;
    send(res, status, response, headers);
  }

  private answer(method: string, args: Record<string, unknown>, token: string | undefined) {
    const failure = this.failures.get(method)?.shift();
    if (failure) {
      if (failure.status === 200) return { status: 200, body: { ok: false, error: failure.error } };
      const headers: Record<string, string> = failure.status === 429 && failure.retryAfter !== undefined ? { 'retry-after': String(failure.retryAfter) } : {};
      return { status: failure.status, body: { ok: false, error: failure.status === 429 ? 'ratelimited' : 'internal_error' }, headers };
    }
    const handler = this.handlers[method];
    if (!handler) return { status: 200, body: { ok: false, error: 'unknown_method' } };
    if (token !== BOT_TOKEN) return { status: 200, body: { ok: false, error: token ? 'invalid_auth' : 'not_authed' } };
    try {
      return { status: 200, body: { ok: true, ...handler(args) } };
    } catch (error) {
      if (!(error instanceof SlackApiError)) throw error;
      const metadata = error.messages ? { response_metadata: { messages: error.messages } } : {};
      return { status: 200, body: { ok: false, error: error.code, ...metadata } };
    }
  }

  private postMessage(args: Record<string, unknown>): Record<string, unknown> {
    const channel = this.postableChannel(args.channel);
    this.checkContent(args);
    const ts = this.nextTs();
    const message = { type: 'message', user: BOT_USER_ID, bot_id: BOT_ID, ts, text: args.text, blocks: args.blocks, thread_ts: args.thread_ts };
    this.messages.set(`${channel}/${ts}`, message);
    return { channel, ts, message };
  }

  private update(args: Record<string, unknown>): Record<string, unknown> {
    const channel = String(args.channel ?? '');
    const ts = String(args.ts ?? '');
    const existing = this.messages.get(`${channel}/${ts}`);
    if (!existing) throw new SlackApiError('message_not_found');
    this.checkContent(args);
    const message = { ...existing, text: args.text, blocks: args.blocks, edited: { user: BOT_USER_ID, ts: this.nextTs() } };
    this.messages.set(`${channel}/${ts}`, message);
    return { channel, ts, text: args.text, message };
  }

  private postEphemeral(args: Record<string, unknown>): Record<string, unknown> {
    this.postableChannel(args.channel);
    if (!args.user) throw new SlackApiError('user_not_in_channel');
    this.checkContent(args);
    return { message_ts: this.nextTs() };
  }

  private publishView(args: Record<string, unknown>): Record<string, unknown> {
    const view = args.view as Record<string, unknown> | undefined;
    if (!args.user_id) throw new SlackApiError('invalid_arguments');
    if (!view || view.type !== 'home') throw new SlackApiError('invalid_arguments', ['view.type must be home']);
    const problems = blockProblems(view.blocks, MAX_VIEW_BLOCKS);
    if (problems.length) throw new SlackApiError('invalid_blocks', problems);
    return { view: { id: 'V1', type: 'home', blocks: view.blocks } };
  }

  private postableChannel(channel: unknown): string {
    if (typeof channel !== 'string' || !channel) throw new SlackApiError('channel_not_found');
    if (this.notMemberOf.has(channel)) throw new SlackApiError('not_in_channel');
    return channel;
  }

  private checkContent(args: Record<string, unknown>): void {
    const text = args.text;
    if (text !== undefined && typeof text !== 'string') throw new SlackApiError('invalid_arguments');
    if (!text && args.blocks === undefined) throw new SlackApiError('no_text');
    if (typeof text === 'string' && text.length > MAX_TEXT) throw new SlackApiError('msg_too_long');
    if (args.blocks !== undefined) {
      const problems = blockProblems(args.blocks, MAX_MESSAGE_BLOCKS);
      if (problems.length) throw new SlackApiError('invalid_blocks', problems);
    }
  }

  private nextTs(): string {
    this.lastTs += 100;
    const text = String(this.lastTs);
    return `${text.slice(0, 10)}.${text.slice(10)}`;
  }
}

class SlackApiError extends Error {
  constructor(
    readonly code: string,
    readonly messages?: string[],
  ) {
    super(code);
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Form bodies (the SDK's default, nested values as JSON strings) and JSON bodies alike. */
export function parseArgs(body: string, contentType: string): Record<string, unknown> {
  if (!body) return {};
  if (contentType.includes('application/json')) return JSON.parse(body) as Record<string, unknown>;
  const args: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(body)) {
    args[key] = JSON_ARGS.has(key) ? JSON.parse(value) : value;
  }
  return args;
}

function bearer(header: string | undefined): string | undefined {
  return header?.startsWith('Bearer ') ? header.slice(7) : undefined;
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}
