import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { blockProblems } from './block-kit-rules.js';
import { RateLimiter, type RateLimits } from './rate-limits.js';
import { getOrAdd } from '../lib/get-or-add.js';
import { readBody } from '../lib/http-body.js';

/** One request the app made: a Web API method, or a POST to a response_url ("response_url"). */
export interface SlackCall {
  method: string;
  args: Record<string, unknown>;
  token: string | undefined;
  at: number;
  /** What the fake answered (JSON), once it has. */
  response?: Record<string, unknown>;
  /** The HTTP status it answered with: 429 when rate-limited. */
  status?: number;
}

export type Failure =
  | { status: 429 /** Seconds, sent as Retry-After. */; retryAfter?: number }
  | { status: 500 | 502 | 503 }
  /** A Web API error as Slack reports most: HTTP 200 with ok: false. */
  | { status: 200; error: string }
  /** The call is carried out (a post lands in the channel) and the connection drops before the answer. */
  | { status: 'accepted-then-dropped' }
  /** Slack records the call (it takes effect) but its answer is late by `ms`: a hang, as the client sees it. */
  | { status: 'hang'; ms: number };

export const BOT_TOKEN = 'xoxb-test-token';
export const BOT_USER_ID = 'UBOT';
export const BOT_ID = 'BBOT';
export const TEAM_ID = 'T0001';

/** Who is in a conversation nobody set members for: the sandbox's person (and the bot). */
export const DEFAULT_MEMBERS = ['U0001'];

/** The time zone users.info gives a user nobody set one for. */
export const DEFAULT_USER_TZ = 'Europe/Paris';

const MAX_MESSAGE_BLOCKS = 50;
const MAX_VIEW_BLOCKS = 100;
const MAX_TEXT = 40_000;
const JSON_ARGS = new Set(['blocks', 'attachments', 'view', 'metadata']);
/** conversations.history's default and largest page. */
const HISTORY_LIMIT = { default: 100, max: 999 };
const MAX_METADATA_CHARS = 8_000;

type Handler = (args: Record<string, unknown>, teamId: string) => Record<string, unknown>;
type Message = Record<string, unknown> & { ts: string };

/**
 * A loopback stand-in for Slack's Web API (under /api/) and for response_url endpoints (under
 * /respond/), answering as Slack does and checking messages as strictly as Slack would.
 */
export class FakeSlack {
  readonly calls: SlackCall[] = [];
  private server: Server | undefined;
  private readonly failures = new Map<string, Failure[]>();
  private readonly notMemberOf = new Map<string, 'public' | 'private' | 'public-postable'>();
  /** Each channel's messages, in the order posted (ts order). */
  private readonly channels = new Map<string, Map<string, Message>>();
  /** The workspace a channel belongs to: the first that used it. Channel ids are unique across Slack. */
  private readonly channelTeams = new Map<string, string>();
  /** Bot token -> team id: one per workspace the app is installed in. */
  private readonly workspaces = new Map<string, string>([[BOT_TOKEN, TEAM_ID]]);
  private readonly userTimeZones = new Map<string, string | undefined>();
  /** Who is in a conversation, when a test said so; else DEFAULT_MEMBERS. */
  private readonly members = new Map<string, string[]>();
  private rateLimiter: RateLimiter | undefined;
  /** App-level token -> the Socket Mode WebSocket URL that apps.connections.open hands out. */
  private readonly socketModeUrls = new Map<string, string>();
  /** Microseconds since the epoch of the last ts handed out: ts are times, as in Slack. */
  private lastTs = 0;
  private readonly handlers: Record<string, Handler> = {
    'auth.test': (_, teamId) => ({
      url: `https://${teamId.toLowerCase()}.slack.com/`,
      team: teamId,
      user: 'paperboy',
      team_id: teamId,
      user_id: BOT_USER_ID,
      bot_id: BOT_ID,
    }),
    'chat.postMessage': (args, teamId) => this.postMessage(args, teamId),
    'chat.update': (args, teamId) => this.update(args, teamId),
    'chat.postEphemeral': (args, teamId) => this.postEphemeral(args, teamId),
    'chat.delete': (args, teamId) => this.deleteMessage(args, teamId),
    'chat.getPermalink': (args, teamId) => this.permalink(args, teamId),
    'conversations.history': (args, teamId) => this.history(args, teamId),
    'conversations.info': (args, teamId) => this.conversationInfo(args, teamId),
    'conversations.members': (args, teamId) => this.conversationMembers(args, teamId),
    'views.publish': (args) => this.publishView(args),
    'users.info': (args) => this.userInfo(args),
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

  /** apps.connections.open, called with this app-level token, answers with this WebSocket URL. */
  enableSocketMode(appToken: string, url: string): void {
    this.socketModeUrls.set(appToken, url);
  }

  /** The next `count` calls of `method` fail this way. */
  failNext(method: string, failure: Failure, count = 1): void {
    this.failures.set(method, [...(this.failures.get(method) ?? []), ...Array<Failure>(count).fill(failure)]);
  }

  /**
   * A channel the bot is not a member of. Public: posting fails with not_in_channel and
   * conversations.info says is_member false. Private: the bot cannot see it (channel_not_found).
   * Public-postable: an app with chat:write.public posts there all the same, but (as in Slack) reads
   * no history and hears no messages there.
   */
  excludeBotFrom(channel: string, visibility: 'public' | 'private' | 'public-postable' = 'public'): void {
    this.notMemberOf.set(channel, visibility);
  }

  /**
   * `count` messages from a person, newer than everything in the channel so far, as in a busy
   * channel (recovery must page past them to find an earlier digest).
   */
  addChannelChatter(channel: string, count: number, teamId = TEAM_ID): void {
    this.channelTeams.set(channel, this.channelTeams.get(channel) ?? teamId);
    const messages = getOrAdd(this.channels, channel, () => new Map());
    for (let i = 0; i < count; i++) {
      const ts = this.nextTs();
      messages.set(ts, { type: 'message', user: 'U0CHATTER', ts, text: `message ${i + 1}` });
    }
  }

  /** Installs the app in another workspace; returns its bot token (auth.test answers with `teamId`). */
  addWorkspace(teamId: string, token = `xoxb-${teamId.toLowerCase()}-token`): string {
    this.workspaces.set(token, teamId);
    return token;
  }

  /** The bot token of a workspace the app is installed in. */
  tokenOf(teamId: string): string | undefined {
    for (const [token, team] of this.workspaces) if (team === teamId) return token;
    return undefined;
  }

  /** The people in a conversation (the bot is added): conversations.members answers with them. */
  setMembers(channel: string, users: string[]): void {
    this.members.set(channel, users);
  }

  /** The user's time zone in users.info (default DEFAULT_USER_TZ); undefined leaves `tz` out, as for some accounts. */
  setUserTimeZone(user: string, timeZone: string | undefined): void {
    this.userTimeZones.set(user, timeZone);
  }

  /** Turns chat.postMessage rate limiting on (see rate-limits.ts), or off with undefined. */
  limitRates(limits: RateLimits | undefined): void {
    this.rateLimiter = limits && new RateLimiter(limits);
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
    return this.channels.get(channel)?.get(ts);
  }

  /** Every channel's messages, for keeping them across restarts (the sandbox). */
  savedMessages(): Record<string, Message[]> {
    return Object.fromEntries([...this.channels].map(([channel, messages]) => [channel, [...messages.values()]]));
  }

  /** Messages kept from an earlier run, in `teamId`'s channels. */
  restoreMessages(saved: Record<string, Message[]>, teamId = TEAM_ID): void {
    for (const [channel, messages] of Object.entries(saved)) {
      const kept = getOrAdd(this.channels, channel, () => new Map());
      for (const message of messages) kept.set(message.ts, message);
      this.channelTeams.set(channel, teamId);
    }
  }

  /** The channel's top-level messages, oldest first. */
  channelMessages(channel: string): Record<string, unknown>[] {
    return [...(this.channels.get(channel)?.values() ?? [])].filter(isTopLevel);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const url = new URL(req.url ?? '/', this.origin);
    const args = parseArgs(body, String(req.headers['content-type'] ?? ''));
    if (req.method === 'POST' && url.pathname.startsWith('/respond/')) {
      const call: SlackCall = {
        method: 'response_url',
        args: { ...args, id: decodeURIComponent(url.pathname.slice(9)) },
        token: undefined,
        at: Date.now(),
      };
      this.calls.push(call);
      call.response = this.answerResponseUrl(args);
      call.status = 200;
      return send(res, 200, call.response);
    }
    const method = url.pathname.startsWith('/api/') ? url.pathname.slice(5) : '';
    const token = bearer(req.headers.authorization) ?? (typeof args.token === 'string' ? args.token : undefined);
    const call: SlackCall = { method, args, token, at: Date.now() };
    this.calls.push(call);
    const late = this.failures.get(method)?.[0];
    if (late?.status === 'hang') {
      this.failures.get(method)!.shift();
      await new Promise((resolve) => setTimeout(resolve, late.ms));
    }
    const { status, body: response, headers, drop } = this.answer(method, args, token);
    call.response = response;
    call.status = status;
    if (drop) res.socket?.destroy();
    else send(res, status, response, headers);
  }

  /** Socket Mode's handshake: an app-level token (not a bot token) gets a WebSocket URL. */
  private openConnection(token: string | undefined): { status: number; body: Record<string, unknown> } {
    const url = token === undefined ? undefined : this.socketModeUrls.get(token);
    return { status: 200, body: url ? { ok: true, url } : { ok: false, error: token ? 'invalid_auth' : 'not_authed' } };
  }

  /** A response_url message is checked as strictly as a posted one; deleting the original needs no content. */
  private answerResponseUrl(args: Record<string, unknown>): Record<string, unknown> {
    if (args.delete_original === true || args.delete_original === 'true') return { ok: true };
    try {
      this.checkContent(args);
      return { ok: true };
    } catch (error) {
      if (!(error instanceof SlackApiError)) throw error;
      return { ok: false, error: error.code, ...(error.messages ? { response_metadata: { messages: error.messages } } : {}) };
    }
  }

  private answer(
    method: string,
    args: Record<string, unknown>,
    token: string | undefined,
  ): { status: number; body: Record<string, unknown>; headers?: Record<string, string>; drop?: boolean } {
    const failure = this.failures.get(method)?.shift();
    if (failure?.status === 'accepted-then-dropped') return { ...this.carryOut(method, args, token), drop: true };
    if (failure && failure.status !== 'hang') {
      if (failure.status === 200) return { status: 200, body: { ok: false, error: failure.error } };
      const headers: Record<string, string> =
        failure.status === 429 && failure.retryAfter !== undefined ? { 'retry-after': String(failure.retryAfter) } : {};
      return { status: failure.status, body: { ok: false, error: failure.status === 429 ? 'ratelimited' : 'internal_error' }, headers };
    }
    return this.carryOut(method, args, token);
  }

  private carryOut(
    method: string,
    args: Record<string, unknown>,
    token: string | undefined,
  ): { status: number; body: Record<string, unknown>; headers?: Record<string, string> } {
    if (method === 'apps.connections.open') return this.openConnection(token);
    const handler = this.handlers[method];
    if (!handler) return { status: 200, body: { ok: false, error: 'unknown_method' } };
    const teamId = token === undefined ? undefined : this.workspaces.get(token);
    if (!teamId) return { status: 200, body: { ok: false, error: token ? 'invalid_auth' : 'not_authed' } };
    const retryAfter = method === 'chat.postMessage' ? this.rateLimiter?.admit(teamId, String(args.channel ?? '')) : 0;
    if (retryAfter) return { status: 429, body: { ok: false, error: 'ratelimited' }, headers: { 'retry-after': String(retryAfter) } };
    try {
      return { status: 200, body: { ok: true, ...handler(args, teamId) } };
    } catch (error) {
      if (!(error instanceof SlackApiError)) throw error;
      const metadata = error.messages ? { response_metadata: { messages: error.messages } } : {};
      return { status: 200, body: { ok: false, error: error.code, ...metadata } };
    }
  }

  private postMessage(args: Record<string, unknown>, teamId: string): Record<string, unknown> {
    const channel = this.postableChannel(args.channel, teamId);
    this.checkContent(args);
    const metadata = checkMetadata(args.metadata);
    const ts = this.nextTs();
    const message: Message = {
      type: 'message',
      user: BOT_USER_ID,
      bot_id: BOT_ID,
      ts,
      text: args.text,
      blocks: args.blocks,
      ...(args.thread_ts === undefined ? {} : { thread_ts: args.thread_ts }),
      ...(metadata ? { metadata } : {}),
    };
    this.channelTeams.set(channel, teamId);
    getOrAdd(this.channels, channel, () => new Map()).set(ts, message);
    return { channel, ts, message };
  }

  /** As Slack forms them: the message's ts without its dot, and a reply's thread_ts in the query. */
  private permalink(args: Record<string, unknown>, teamId: string): Record<string, unknown> {
    const channel = this.visibleChannel(args.channel, teamId);
    const message = this.message(channel, String(args.message_ts ?? ''));
    if (!message) throw new SlackApiError('message_not_found');
    const base = `https://${teamId.toLowerCase()}.slack.com/archives/${channel}/p${String(message.ts).replace('.', '')}`;
    const threadTs = typeof message.thread_ts === 'string' && message.thread_ts !== String(message.ts) ? message.thread_ts : undefined;
    return { channel, permalink: threadTs ? `${base}?thread_ts=${threadTs}&cid=${channel}` : base };
  }

  private update(args: Record<string, unknown>, teamId: string): Record<string, unknown> {
    const channel = this.visibleChannel(args.channel, teamId);
    const ts = String(args.ts ?? '');
    const existing = this.message(channel, ts);
    if (!existing) throw new SlackApiError('message_not_found');
    this.checkContent(args);
    const message: Message = { ...existing, ts, text: args.text, blocks: args.blocks, edited: { user: BOT_USER_ID, ts: this.nextTs() } };
    this.channels.get(channel)!.set(ts, message);
    return { channel, ts, text: args.text, message };
  }

  private deleteMessage(args: Record<string, unknown>, teamId: string): Record<string, unknown> {
    const channel = this.visibleChannel(args.channel, teamId);
    const ts = String(args.ts ?? '');
    if (!this.message(channel, ts)) throw new SlackApiError('message_not_found');
    this.channels.get(channel)!.delete(ts);
    return { channel, ts };
  }

  /**
   * Top-level messages newest first, between `oldest` and `latest` (exclusive unless `inclusive`),
   * `limit` to a page, with a cursor to the next page; metadata only when `include_all_metadata`.
   */
  private history(args: Record<string, unknown>, teamId: string): Record<string, unknown> {
    const channel = this.visibleChannel(args.channel, teamId);
    if (this.notMemberOf.has(channel)) throw new SlackApiError('not_in_channel');
    const inclusive = isTrue(args.inclusive);
    const oldest = args.oldest === undefined ? undefined : tsKey(String(args.oldest));
    const cursor = args.cursor ? decodeCursor(String(args.cursor)) : undefined;
    const latest = cursor ?? (args.latest === undefined ? undefined : tsKey(String(args.latest)));
    const limit = Math.min(HISTORY_LIMIT.max, Math.max(1, Number(args.limit) || HISTORY_LIMIT.default));
    const withMetadata = isTrue(args.include_all_metadata);
    const inRange = this.channelMessages(channel)
      .filter((message) => {
        const key = tsKey(String(message.ts));
        const afterOldest = oldest === undefined || key > oldest || (inclusive && key === oldest);
        const beforeLatest = latest === undefined || key < latest || (inclusive && cursor === undefined && key === latest);
        return afterOldest && beforeLatest;
      })
      .reverse();
    const page = inRange.slice(0, limit).map(({ metadata, ...message }) => (withMetadata && metadata ? { ...message, metadata } : message));
    const hasMore = inRange.length > limit;
    return {
      messages: page,
      has_more: hasMore,
      pin_count: 0,
      response_metadata: { next_cursor: hasMore ? encodeCursor(String(page.at(-1)!.ts)) : '' },
    };
  }

  /** Ids tell the kind, as Slack's long did: D... a DM with the bot, G... a private channel, else public. */
  private conversationInfo(args: Record<string, unknown>, teamId: string): Record<string, unknown> {
    const id = this.visibleChannel(args.channel, teamId);
    if (id.startsWith('D')) return { channel: { id, is_im: true, is_archived: false } };
    const isPrivate = id.startsWith('G');
    return {
      channel: {
        id,
        name: `channel-${id.toLowerCase()}`,
        is_channel: !isPrivate,
        is_group: isPrivate,
        is_im: false,
        is_private: isPrivate,
        is_archived: false,
        is_member: !this.notMemberOf.has(id),
      },
    };
  }

  /** Members a page at a time (`limit`, a cursor to the next page), as Slack pages them. */
  private conversationMembers(args: Record<string, unknown>, teamId: string): Record<string, unknown> {
    const channel = this.visibleChannel(args.channel, teamId);
    const all = [BOT_USER_ID, ...(this.members.get(channel) ?? DEFAULT_MEMBERS)];
    const start = args.cursor
      ? Number(
          Buffer.from(String(args.cursor), 'base64')
            .toString('utf8')
            .replace(/^offset:/, ''),
        )
      : 0;
    const limit = Math.min(1000, Math.max(1, Number(args.limit) || 100));
    const page = all.slice(start, start + limit);
    const next = start + limit < all.length ? Buffer.from(`offset:${start + limit}`).toString('base64') : '';
    return { members: page, response_metadata: { next_cursor: next } };
  }

  private userInfo(args: Record<string, unknown>): Record<string, unknown> {
    const id = String(args.user ?? '');
    if (!id) throw new SlackApiError('user_not_found');
    const tz = this.userTimeZones.has(id) ? this.userTimeZones.get(id) : DEFAULT_USER_TZ;
    return { user: { id, name: 'someone', real_name: 'Some One', is_bot: false, ...(tz ? { tz } : {}) } };
  }

  private postEphemeral(args: Record<string, unknown>, teamId: string): Record<string, unknown> {
    this.postableChannel(args.channel, teamId);
    if (!args.user) throw new SlackApiError('user_not_in_channel');
    this.checkContent(args);
    return { message_ts: this.nextTs() };
  }

  private publishView(args: Record<string, unknown>): Record<string, unknown> {
    const view = args.view as Record<string, unknown> | undefined;
    if (!args.user_id) throw new SlackApiError('invalid_arguments');
    if (view?.type !== 'home') throw new SlackApiError('invalid_arguments', ['view.type must be home']);
    const problems = blockProblems(view.blocks, MAX_VIEW_BLOCKS);
    if (problems.length) throw new SlackApiError('invalid_blocks', problems);
    return { view: { id: 'V1', type: 'home', blocks: view.blocks } };
  }

  private postableChannel(channel: unknown, teamId: string): string {
    const id = this.visibleChannel(channel, teamId);
    const absent = this.notMemberOf.get(id);
    if (absent && absent !== 'public-postable') throw new SlackApiError('not_in_channel');
    return id;
  }

  /** A channel this workspace's bot can see: not another workspace's, nor a private one it is not in. */
  private visibleChannel(channel: unknown, teamId: string): string {
    if (typeof channel !== 'string' || !channel) throw new SlackApiError('channel_not_found');
    const owner = this.channelTeams.get(channel);
    if ((owner !== undefined && owner !== teamId) || this.notMemberOf.get(channel) === 'private')
      throw new SlackApiError('channel_not_found');
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
    this.lastTs = Math.max(this.lastTs + 1, Date.now() * 1000);
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

/** Metadata as Slack takes it: an event_type word and an object payload, within a size limit. */
function checkMetadata(metadata: unknown): Record<string, unknown> | undefined {
  if (metadata === undefined) return undefined;
  const { event_type: type, event_payload: payload } = (metadata ?? {}) as Record<string, unknown>;
  const valid =
    typeof type === 'string' &&
    /^[A-Za-z0-9_.-]{1,255}$/.test(type) &&
    typeof payload === 'object' &&
    payload !== null &&
    !Array.isArray(payload) &&
    JSON.stringify(metadata).length <= MAX_METADATA_CHARS;
  if (!valid) throw new SlackApiError('invalid_metadata_format');
  return metadata as Record<string, unknown>;
}

function isTopLevel(message: Record<string, unknown>): boolean {
  return message.thread_ts === undefined || message.thread_ts === message.ts;
}

/** A ts ("1712345678.000100", or "1712345678") as a string that sorts as the time does. */
function tsKey(ts: string): string {
  const [seconds = '0', micros = ''] = ts.split('.');
  return `${seconds.padStart(10, '0')}.${micros.padEnd(6, '0').slice(0, 6)}`;
}

/** Slack's cursors are opaque; this one, like Slack's, is base64 of "next_ts:<ts>". */
function encodeCursor(ts: string): string {
  return Buffer.from(`next_ts:${ts}`).toString('base64');
}

function decodeCursor(cursor: string): string {
  const match = /^next_ts:(\d+\.\d+)$/.exec(Buffer.from(cursor, 'base64').toString('utf8'));
  if (!match) throw new SlackApiError('invalid_cursor');
  return tsKey(match[1]!);
}

/** Booleans arrive as "true"/"1" in form bodies and as true in JSON ones. */
function isTrue(value: unknown): boolean {
  return value === true || value === 'true' || value === '1' || value === 1;
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
