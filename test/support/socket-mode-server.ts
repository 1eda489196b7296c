import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { SlackRequest } from '../../src/fake-slack/signed-requests.js';

/** The app's acknowledgement of one envelope. */
export interface SocketAck {
  /** What the app sent with it, if anything (e.g. a slash command's reply). */
  payload?: unknown;
  ms: number;
}

export interface DeliverOptions {
  /** Slack's redelivery count for an Events API envelope. */
  retryAttempt?: number;
}

/**
 * A loopback stand-in for Slack's Socket Mode endpoint: greets the app's WebSocket with "hello",
 * delivers requests as envelopes (with the payloads Slack would POST over HTTP), and resolves each
 * delivery with the app's acknowledgement, which must carry the envelope's id.
 */
export class SocketModeServer {
  /** WebSocket connections the app has opened. */
  connections = 0;
  private socket: WebSocket | undefined;
  private readonly acks = new Map<string, (ack: SocketAck) => void>();

  private constructor(private readonly server: WebSocketServer) {
    server.on('connection', (socket) => {
      this.connections++;
      this.socket = socket;
      socket.on('message', (data) => this.onMessage(data));
      socket.send(JSON.stringify({ type: 'hello', num_connections: 1, connection_info: { app_id: 'A0001' } }));
    });
  }

  static async start(): Promise<SocketModeServer> {
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise<void>((resolve) => server.once('listening', resolve));
    return new SocketModeServer(server);
  }

  get url(): string {
    return `ws://127.0.0.1:${(this.server.address() as AddressInfo).port}/link`;
  }

  /** Sends the request over the app's WebSocket; resolves when the app acknowledges it. */
  deliver(request: SlackRequest, options: DeliverOptions = {}): Promise<SocketAck> {
    if (!this.socket) throw new Error('socket mode: the app has not connected');
    const envelopeId = randomUUID();
    const started = performance.now();
    const acked = new Promise<SocketAck>((resolve) =>
      this.acks.set(envelopeId, (ack) => resolve({ ...ack, ms: performance.now() - started })),
    );
    this.socket.send(JSON.stringify({ envelope_id: envelopeId, ...envelopeOf(request, options) }));
    return acked;
  }

  /** Lets the app finish closing its side (it may still be in the closing handshake), then stops. */
  async close(): Promise<void> {
    const closing = [...this.server.clients].map((client) => new Promise((resolve) => client.once('close', resolve)));
    await Promise.race([Promise.all(closing), new Promise((resolve) => setTimeout(resolve, 2000))]);
    for (const client of this.server.clients) client.terminate();
    await new Promise<void>((resolve, reject) => this.server.close((error) => (error ? reject(error) : resolve())));
  }

  private onMessage(data: RawData): void {
    const message = JSON.parse(data.toString()) as { envelope_id?: string; payload?: unknown };
    const resolve = message.envelope_id === undefined ? undefined : this.acks.get(message.envelope_id);
    if (!resolve) throw new Error(`socket mode: an acknowledgement of no pending envelope: ${data.toString()}`);
    this.acks.delete(message.envelope_id!);
    resolve({ payload: message.payload, ms: 0 });
  }
}

/** The envelope Slack sends over Socket Mode for what it would otherwise POST. */
function envelopeOf(request: SlackRequest, options: DeliverOptions): Record<string, unknown> {
  if (request.headers['content-type'] === 'application/json') {
    const retry = options.retryAttempt === undefined ? {} : { retry_attempt: options.retryAttempt, retry_reason: 'timeout' };
    return { type: 'events_api', payload: JSON.parse(request.body), accepts_response_payload: false, ...retry };
  }
  const form = Object.fromEntries(new URLSearchParams(request.body));
  if (form.payload) return { type: 'interactive', payload: JSON.parse(form.payload), accepts_response_payload: false };
  return { type: 'slash_commands', payload: form, accepts_response_payload: true };
}
