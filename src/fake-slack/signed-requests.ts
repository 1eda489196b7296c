import { createHmac } from 'node:crypto';
import { TEAM_ID } from './web-api.js';

export const SIGNING_SECRET = 'test-signing-secret';

export interface SlackRequest {
  body: string;
  headers: Record<string, string>;
}

export interface SignOptions {
  secret?: string;
  /** Unix seconds; default now. */
  timestamp?: number;
  /** Leave the signature headers out. */
  unsigned?: boolean;
  headers?: Record<string, string>;
}

/** Signs a body as Slack does: v0=HMAC-SHA256(secret, "v0:{timestamp}:{body}"). */
export function sign(body: string, contentType: string, options: SignOptions = {}): SlackRequest {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const signature =
    'v0=' +
    createHmac('sha256', options.secret ?? SIGNING_SECRET)
      .update(`v0:${timestamp}:${body}`)
      .digest('hex');
  const signed: Record<string, string> = options.unsigned
    ? {}
    : { 'x-slack-signature': signature, 'x-slack-request-timestamp': String(timestamp) };
  return { body, headers: { 'content-type': contentType, ...signed, ...options.headers } };
}

export interface SlashCommand {
  text: string;
  user_id?: string;
  channel_id?: string;
  response_url: string;
  trigger_id?: string;
}

/** A slash command as Slack POSTs it: a form body. */
export function slashCommand(command: SlashCommand, options?: SignOptions): SlackRequest {
  const form = new URLSearchParams({
    token: 'deprecated-verification-token',
    team_id: TEAM_ID,
    team_domain: 'paperboy-test',
    channel_id: command.channel_id ?? 'C0001',
    channel_name: 'research',
    user_id: command.user_id ?? 'U0001',
    user_name: 'ada',
    command: '/papers',
    text: command.text,
    api_app_id: 'A0001',
    is_enterprise_install: 'false',
    response_url: command.response_url,
    trigger_id: command.trigger_id ?? '1.2.3',
  });
  return sign(form.toString(), 'application/x-www-form-urlencoded', options);
}

export interface EventOptions extends SignOptions {
  eventId: string;
  /** Slack's redelivery count, sent as x-slack-retry-num with reason http_timeout. */
  retryNum?: number;
}

/** An Events API callback as Slack POSTs it: JSON, with retries marked in headers. */
export function eventCallback(event: Record<string, unknown>, options: EventOptions): SlackRequest {
  const body = JSON.stringify({
    token: 'deprecated-verification-token',
    team_id: TEAM_ID,
    api_app_id: 'A0001',
    event: { event_ts: event.ts ?? '1700000000.000001', ...event },
    type: 'event_callback',
    event_id: options.eventId,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ team_id: TEAM_ID, user_id: 'UBOT', is_bot: true, is_enterprise_install: false }],
    is_ext_shared_channel: false,
  });
  const retry: Record<string, string> =
    options.retryNum === undefined ? {} : { 'x-slack-retry-num': String(options.retryNum), 'x-slack-retry-reason': 'http_timeout' };
  return sign(body, 'application/json', { ...options, headers: { ...retry, ...options.headers } });
}

export interface ButtonClick {
  actionId: string;
  value: string;
  blockId?: string;
  userId?: string;
  channelId?: string;
  /** The ts of the message holding the button, and of its thread when it is a reply. */
  messageTs: string;
  threadTs?: string;
  responseUrl: string;
  /** The message's text and blocks as the person sees them: Slack sends them with the click. */
  message?: { text?: string; blocks?: unknown[] };
}

/** A block_actions interaction as Slack POSTs it: a form with one `payload` field of JSON. */
export function blockAction(click: ButtonClick, options?: SignOptions): SlackRequest {
  const payload = {
    type: 'block_actions',
    user: { id: click.userId ?? 'U0001', username: 'ada', name: 'ada', team_id: TEAM_ID },
    api_app_id: 'A0001',
    token: 'deprecated-verification-token',
    container: { type: 'message', message_ts: click.messageTs, channel_id: click.channelId ?? 'C0001', is_ephemeral: false },
    trigger_id: '1.2.3',
    team: { id: TEAM_ID, domain: 'paperboy-test' },
    channel: { id: click.channelId ?? 'C0001', name: 'research' },
    message: {
      type: 'message',
      ts: click.messageTs,
      ...(click.threadTs ? { thread_ts: click.threadTs } : {}),
      user: 'UBOT',
      bot_id: 'BBOT',
      text: click.message?.text ?? '',
      ...(click.message?.blocks ? { blocks: click.message.blocks } : {}),
    },
    response_url: click.responseUrl,
    actions: [
      {
        type: 'button',
        action_id: click.actionId,
        block_id: click.blockId ?? 'b',
        value: click.value,
        text: { type: 'plain_text', text: 'button' },
        action_ts: String(Date.now() / 1000),
      },
    ],
  };
  const form = new URLSearchParams({ payload: JSON.stringify(payload) });
  return sign(form.toString(), 'application/x-www-form-urlencoded', options);
}

export interface Delivery {
  status: number;
  body: string;
  /** Milliseconds until the response arrived: the ack time Slack would see. */
  ms: number;
}

/** POSTs a request to the app as Slack would, timing the response. */
export async function deliver(url: string, request: SlackRequest): Promise<Delivery> {
  const started = performance.now();
  const response = await fetch(url, { method: 'POST', headers: request.headers, body: request.body });
  const body = await response.text();
  return { status: response.status, body, ms: performance.now() - started };
}
