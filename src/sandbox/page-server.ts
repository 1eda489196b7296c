import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { z } from 'zod';
import { projectRoot } from '../paths.js';
import { escapeText } from '../slack/mrkdwn.js';
import { BOT_USER_ID } from '../fake-slack/web-api.js';
import { BOT_NAME, PERSON, type Person } from './person.js';
import type { Workspace, WorkspaceChange } from './workspace.js';
import { BodyTooLarge, readBody } from '../lib/http-body.js';

const PUBLIC_DIR = join(projectRoot, 'src', 'sandbox', 'public');
const STATIC: Record<string, { file: string; type: string }> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/style.css': { file: 'style.css', type: 'text/css; charset=utf-8' },
  '/app.js': { file: 'app.js', type: 'text/javascript; charset=utf-8' },
  '/blocks.js': { file: 'blocks.js', type: 'text/javascript; charset=utf-8' },
  '/mrkdwn.js': { file: 'mrkdwn.js', type: 'text/javascript; charset=utf-8' },
  '/paperboy.svg': { file: 'paperboy.svg', type: 'image/svg+xml' },
  '/thumbsup.svg': { file: 'thumbsup.svg', type: 'image/svg+xml' },
  '/thumbsdown.svg': { file: 'thumbsdown.svg', type: 'image/svg+xml' },
};
const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};
const MAX_BODY = 64 * 1024;

const TypeBody = z.object({ text: z.string().max(4000), threadTs: z.string().max(40).optional() });
const ClickBody = z.object({
  ts: z.string().max(40),
  actionId: z.string().max(255),
  value: z.string().max(2000),
  blockId: z.string().max(255).optional(),
});

export interface PageServerOptions {
  host: string;
  port: number;
  channel: { id: string; name: string };
  workspace: Workspace;
  person: Person;
  /** Posts the digest to a channel, resolving with what to tell the person. */
  postDigestNow?: (channelId: string) => Promise<string>;
  /** What is real and what is simulated, said on the page. */
  about?: SandboxAbout;
}

/** What the page says the bot is working with. */
export interface SandboxAbout {
  /** e.g. "68 papers: the seed page of 2025-03-28 (no Daily Papers ingested yet)". */
  corpus: string;
  /** e.g. "extractive summaries (no LLM configured)". */
  answers: string;
}

/**
 * The sandbox page: static files, a stream of workspace changes (Server-Sent Events), and what the
 * person does (JSON POSTs, which a page on another origin cannot send without a CORS preflight).
 */
export async function startPageServer(options: PageServerOptions): Promise<Server> {
  const server = createServer((req, res) => {
    route(req, res, options).catch((error: unknown) => {
      const malformed = error instanceof z.ZodError || error instanceof SyntaxError || error instanceof BodyTooLarge;
      if (!res.headersSent) reply(res, malformed ? 400 : 500, `sandbox: ${String(error)}`);
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return server;
}

async function route(req: IncomingMessage, res: ServerResponse, options: PageServerOptions): Promise<void> {
  if (!fromThisMachine(req, options.host)) return reply(res, 421, 'Misdirected request');
  const path = new URL(req.url ?? '/', 'http://sandbox').pathname;
  if (req.method === 'GET') {
    const asset = STATIC[path];
    if (asset) {
      res.writeHead(200, { 'content-type': asset.type, ...SECURITY_HEADERS });
      res.end(await readFile(join(PUBLIC_DIR, asset.file)));
      return;
    }
    if (path === '/events') return streamChanges(req, res, options);
    return reply(res, 404, 'Not found');
  }
  if (req.method !== 'POST') return reply(res, 405, 'Method not allowed');
  if (!String(req.headers['content-type'] ?? '').startsWith('application/json')) return reply(res, 415, 'Expected JSON');
  const body = await readJson(req);
  const { person } = options;
  switch (path) {
    case '/api/type': {
      const { text, threadTs } = TypeBody.parse(body);
      await person.type(text, threadTs);
      return reply(res, 204);
    }
    case '/api/click': {
      const { blockId, ...click } = ClickBody.parse(body);
      await person.click({ ...click, ...(blockId ? { blockId } : {}) });
      return reply(res, 204);
    }
    case '/api/home':
      await person.openHome();
      return reply(res, 204);
    case '/api/digest':
      if (!options.postDigestNow) return reply(res, 404, 'Not found');
      await options
        .postDigestNow(options.channel.id)
        .then((result) => person.notice(escapeText(result)))
        .catch((error: unknown) => person.notice(`Posting the digest failed: ${escapeText(String(error))}`));
      return reply(res, 204);
    default:
      return reply(res, 404, 'Not found');
  }
}

function streamChanges(req: IncomingMessage, res: ServerResponse, options: PageServerOptions): void {
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', connection: 'keep-alive', ...SECURITY_HEADERS });
  const send = (event: string, data: unknown) => res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  send('hello', {
    channel: options.channel,
    person: PERSON,
    bot: { id: BOT_USER_ID, name: BOT_NAME },
    digest: Boolean(options.postDigestNow),
    ...(options.about ? { about: options.about } : {}),
    ...options.workspace.snapshot(),
  });
  const unsubscribe = options.workspace.subscribe((change: WorkspaceChange) =>
    change.kind === 'message' ? send('message', change.message) : send('home', change.view),
  );
  req.on('close', unsubscribe);
}

/**
 * Against DNS rebinding: a loopback server answers only requests addressed to a loopback name.
 * Bound elsewhere on purpose, it takes any Host.
 */
function fromThisMachine(req: IncomingMessage, host: string): boolean {
  if (!['127.0.0.1', 'localhost', '::1'].includes(host)) return true;
  const name = (req.headers.host ?? '').replace(/:\d+$/, '');
  return ['127.0.0.1', 'localhost', '[::1]'].includes(name);
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  return JSON.parse((await readBody(req, MAX_BODY)) || '{}');
}

function reply(res: ServerResponse, status: number, text = ''): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...SECURITY_HEADERS });
  res.end(text);
}

export function serverUrl(server: Server, host: string): string {
  const { port } = server.address() as AddressInfo;
  const name = host === '127.0.0.1' || host === '::1' || host === '0.0.0.0' || host === '::' ? 'localhost' : host;
  return `http://${name}:${port}`;
}
