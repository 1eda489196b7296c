import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeSlack, parseArgs } from '../fake-slack/web-api.js';
import type { Workspace } from './workspace.js';
import { readBody } from '../lib/http-body.js';

/** Where a response_url's messages appear: the conversation (and thread) the request came from. */
export interface ResponseTarget {
  channel: string;
  threadTs?: string;
}

type Json = Record<string, unknown>;

/**
 * The Slack the app talks to in the sandbox: a FakeSlack (which answers and checks every call as
 * Slack would) behind a loopback front that shows the workspace each message the fake accepted.
 * The front exists because the fake keeps its messages to itself until asked.
 */
export class SlackStandIn {
  readonly fake = new FakeSlack();
  private server: Server | undefined;
  private readonly targets = new Map<string, ResponseTarget>();

  constructor(private readonly workspace: Workspace) {}

  async start(): Promise<this> {
    await this.fake.start();
    this.server = createServer((req, res) => void this.forward(req, res).catch((error: unknown) => fail(res, error)));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    await this.fake.stop();
  }

  get apiUrl(): string {
    return `${this.origin}/api/`;
  }

  /** A fresh response_url whose messages show up at `target`. */
  responseUrl(target: ResponseTarget): string {
    const id = randomBytes(8).toString('hex');
    this.targets.set(id, target);
    return `${this.origin}/respond/${id}`;
  }

  private get origin(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  private async forward(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const headers: Record<string, string> = {};
    for (const name of ['content-type', 'authorization']) {
      const value = req.headers[name];
      if (typeof value === 'string') headers[name] = value;
    }
    const method = req.method ?? 'POST';
    const answer = await fetch(`${this.fake.origin}${req.url ?? '/'}`, { method, headers, ...(method === 'GET' ? {} : { body }) });
    const text = await answer.text();
    const passOn: Record<string, string> = {};
    for (const name of ['content-type', 'retry-after']) {
      const value = answer.headers.get(name);
      if (value) passOn[name] = value;
    }
    res.writeHead(answer.status, passOn);
    res.end(text);
    if (answer.ok)
      this.show(new URL(req.url ?? '/', this.origin).pathname, parseArgs(body, headers['content-type'] ?? ''), parseJson(text));
  }

  /** Shows the workspace what Slack would now show for a call the fake accepted. */
  private show(path: string, args: Json, response: Json): void {
    if (response.ok !== true) return;
    if (path.startsWith('/respond/')) return this.showResponse(path.slice('/respond/'.length), args);
    switch (path.slice('/api/'.length)) {
      case 'chat.postMessage':
      case 'chat.update':
        return this.showStored(String(response.channel), String(response.ts));
      case 'chat.postEphemeral':
        return this.workspace.put({
          ts: String(response.message_ts),
          channel: String(args.channel),
          ...(typeof args.thread_ts === 'string' ? { threadTs: args.thread_ts } : {}),
          ...content(args),
          author: 'bot',
          ephemeral: true,
        });
      case 'views.publish':
        return this.workspace.setHome((response.view as Json | undefined) ?? args.view);
    }
  }

  private showStored(channel: string, ts: string): void {
    const stored = this.fake.message(channel, ts);
    if (!stored) return;
    const threadTs = typeof stored.thread_ts === 'string' && stored.thread_ts !== ts ? stored.thread_ts : undefined;
    this.workspace.put({ ts, channel, ...(threadTs ? { threadTs } : {}), ...content(stored), author: 'bot' });
  }

  // The app never replaces or deletes the original message through a response_url, so neither is modelled.
  private showResponse(id: string, args: Json): void {
    const target = this.targets.get(id);
    if (!target) return;
    this.workspace.put({
      ts: this.workspace.nextTs(),
      ...target,
      ...content(args),
      author: 'bot',
      ephemeral: args.response_type !== 'in_channel',
    });
  }
}

function content(message: Json): { text: string; blocks?: unknown[] } {
  const text = typeof message.text === 'string' ? message.text : '';
  return Array.isArray(message.blocks) ? { text, blocks: message.blocks } : { text };
}

function parseJson(text: string): Json {
  try {
    return JSON.parse(text) as Json;
  } catch {
    return {};
  }
}

function fail(res: ServerResponse, error: unknown): void {
  if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ ok: false, error: 'sandbox_stand_in_failed', detail: String(error) }));
}
