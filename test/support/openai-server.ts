import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody } from '../../src/lib/http-body.js';

/**
 * A scriptable OpenAI-compatible Chat Completions server on 127.0.0.1 for tests and benchmarks:
 * real HTTP, so the real `openai` SDK talks to it. Queue replies with `enqueue`; when the queue is
 * empty, `respond` (default: `plausibleReply`) answers. Every request is recorded.
 *
 * Token counts are the server's own estimate: ceil(characters / 4) of the messages' contents for
 * prompt tokens and of the reply's text for completion tokens.
 */

export type Reply =
  /** A JSON chat.completion (or an SSE stream of the same text when the request asked to stream). */
  | { type: 'completion'; content: string; refusal?: string; finishReason?: string; usage?: boolean; delayMs?: number }
  /** An SSE stream: one chunk per entry, then (when asked for with stream_options) a usage chunk. */
  | {
      type: 'stream';
      chunks: string[];
      refusal?: string;
      usage?: boolean;
      firstTokenDelayMs?: number;
      chunkDelayMs?: number;
      /** Send a chunk that is not JSON after this many chunks, then end. */
      malformedAfter?: number;
      /** The last chunk's finish_reason (default "stop"); "length" when the output budget ran out. */
      finishReason?: string;
      /** Sent first, as `delta.reasoning_content` chunks (DeepSeek's API, vLLM's reasoning parser). */
      reasoningChunks?: string[];
    }
  /**
   * An error status, e.g. 429 with { 'retry-after': '1' }, or 500: OpenAI's JSON error body with
   * `message`, `param`, `code`; or `body` sent as it is (DeepSeek's 422s are plain text).
   */
  | {
      type: 'error';
      status: number;
      headers?: Record<string, string>;
      message?: string;
      param?: string | null;
      code?: string | null;
      body?: string;
    }
  /** Any body at all, e.g. malformed JSON with a 200. */
  | { type: 'raw'; status?: number; contentType?: string; body: string; delayMs?: number }
  /** Wait this long, then answer with `then` (or never, if absent, until the client goes away). */
  | { type: 'hang'; ms?: number; then?: Reply };

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The parsed JSON body, or undefined when it was not JSON. */
  body: ChatRequestBody | undefined;
  receivedAt: number;
  promptTokens: number;
  /** When the client went away before the reply was complete (a cancelled request). */
  abandonedAt?: number;
}

export interface ChatRequestBody {
  model?: string;
  messages?: Array<{ role: string; content: unknown }>;
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
  response_format?: { type: string };
  max_tokens?: number;
  max_completion_tokens?: number;
  [field: string]: unknown;
}

export interface OpenAiServerOptions {
  /**
   * Answer any request with a response_format with this error (true: a plain 400), like a server
   * without structured output: see DEEPSEEK_JSON_SCHEMA_422.
   */
  rejectResponseFormat?: boolean | Extract<Reply, { type: 'error' }>;
  /** Answer any request that sends this output-budget parameter with OpenAI's/Azure's 400 (see UNSUPPORTED_MAX_TOKENS). */
  rejectParameter?: 'max_tokens' | 'max_completion_tokens';
  /** "Slow mode" for streams that set no delays of their own. */
  firstTokenDelayMs?: number;
  chunkDelayMs?: number;
  /** The reply when nothing is queued. */
  respond?: (request: RecordedRequest) => Reply;
}

export interface OpenAiTestServer {
  /** Pass as OPENAI_BASE_URL / baseURL, e.g. http://127.0.0.1:41234/v1 */
  readonly baseURL: string;
  readonly requests: RecordedRequest[];
  enqueue(...replies: Reply[]): void;
  /** Replies still queued. */
  readonly pending: number;
  close(): Promise<void>;
}

export async function startOpenAiServer(options: OpenAiServerOptions = {}): Promise<OpenAiTestServer> {
  const queue: Reply[] = [];
  const requests: RecordedRequest[] = [];
  const respond = options.respond ?? plausibleReply;

  const server = createServer((req, res) => {
    void handle(req, res).catch(() => res.destroy());
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const text = await readBody(req);
    const body = parseJson(text) as ChatRequestBody | undefined;
    const request: RecordedRequest = {
      method: req.method ?? 'GET',
      path: req.url ?? '/',
      headers: req.headers,
      body,
      receivedAt: Date.now(),
      promptTokens: countPromptTokens(body),
    };
    requests.push(request);
    const gone = closedSignal(res);
    gone.addEventListener('abort', () => {
      if (!res.writableFinished) request.abandonedAt = Date.now();
    });
    if (request.method !== 'POST' || !request.path.startsWith('/v1/chat/completions')) {
      return sendError(res, { type: 'error', status: 404, message: `no route ${request.method} ${request.path}` });
    }
    if (!body) return sendError(res, { type: 'error', status: 400, message: 'body is not JSON' });
    if (options.rejectResponseFormat && body.response_format) {
      const refusal = options.rejectResponseFormat === true ? undefined : options.rejectResponseFormat;
      return sendError(res, refusal ?? { type: 'error', status: 400, message: "'response_format' is not supported" });
    }
    if (options.rejectParameter && body[options.rejectParameter] !== undefined) {
      return sendError(res, unsupportedParameter(options.rejectParameter));
    }
    await send(res, queue.shift() ?? respond(request), request, gone);
  }

  async function send(res: ServerResponse, reply: Reply, request: RecordedRequest, gone: AbortSignal): Promise<void> {
    switch (reply.type) {
      case 'error':
        return sendError(res, reply);
      case 'raw':
        await sleep(reply.delayMs ?? 0, gone);
        res.writeHead(reply.status ?? 200, { 'content-type': reply.contentType ?? 'application/json' });
        res.end(reply.body);
        return;
      case 'hang':
        await sleep(reply.ms ?? MAX_TIMER_MS, gone);
        if (reply.then && !gone.aborted) return send(res, reply.then, request, gone);
        return;
      case 'completion':
        if (request.body?.stream) return sendStream(res, asStream(reply), request, gone);
        await sleep(reply.delayMs ?? 0, gone);
        return sendJson(res, 200, completionBody(reply, request));
      case 'stream':
        return sendStream(res, reply, request, gone);
    }
  }

  async function sendStream(
    res: ServerResponse,
    reply: Extract<Reply, { type: 'stream' }>,
    request: RecordedRequest,
    gone: AbortSignal,
  ): Promise<void> {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    const model = request.body?.model ?? 'test-model';
    const event = (data: unknown) => res.write(`data: ${JSON.stringify(data)}\n\n`);
    const chunk = (delta: Record<string, unknown>, finishReason: string | null = null) =>
      event({
        id: 'chatcmpl-test',
        object: 'chat.completion.chunk',
        created: 0,
        model,
        choices: [{ index: 0, delta, finish_reason: finishReason }],
      });
    await sleep(reply.firstTokenDelayMs ?? options.firstTokenDelayMs ?? 0, gone);
    if (gone.aborted) return;
    chunk({ role: 'assistant', content: '' });
    for (const piece of reply.reasoningChunks ?? []) chunk({ reasoning_content: piece, content: null });
    if (reply.refusal) {
      chunk({ refusal: reply.refusal }, 'stop');
    } else {
      for (const [i, piece] of reply.chunks.entries()) {
        if (i > 0) await sleep(reply.chunkDelayMs ?? options.chunkDelayMs ?? 0, gone);
        if (gone.aborted) return;
        if (reply.malformedAfter === i) {
          res.end('data: {"choices": [{"delta": {"content": \n\n');
          return;
        }
        chunk({ content: piece });
      }
      chunk({}, reply.finishReason ?? 'stop');
    }
    if (reply.usage !== false && request.body?.stream_options?.include_usage) {
      const completionTokens = estimateTokens(reply.chunks.join(''));
      event({
        id: 'chatcmpl-test',
        object: 'chat.completion.chunk',
        created: 0,
        model,
        choices: [],
        usage: usageOf(request.promptTokens, completionTokens),
      });
    }
    res.end('data: [DONE]\n\n');
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    enqueue: (...replies) => void queue.push(...replies),
    get pending() {
      return queue.length;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/**
 * A plausible answer to whatever was asked: {"ranking": [...]} for a rerank, {"tldr": ...} for
 * another response_format request, else one
 * bullet per numbered paper in the prompt (<paper n="k">, up to five), citing it, word by word.
 */
export function plausibleReply(request: RecordedRequest): Reply {
  const prompt = (request.body?.messages ?? []).map((message) => String(message.content)).join('\n');
  const titles = [...prompt.matchAll(/<paper n="(\d+)">\s*Title: ([^\n]*)/g)].map((match) => ({
    n: Number(match[1]),
    title: match[2]!,
  }));
  if (/"ranking"/.test(prompt)) {
    // A rerank (prompts/topic-rerank.md): the papers in the order given, as a model that agrees with the search would.
    return { type: 'completion', content: JSON.stringify({ ranking: titles.map(({ n }) => n) }) };
  }
  if (request.body?.response_format || /"tldr"/.test(prompt)) {
    const title = titles[0]?.title ?? 'this paper';
    return {
      type: 'completion',
      content: JSON.stringify({ tldr: `The paper "${title}" proposes a method and reports gains over strong baselines.` }),
    };
  }
  const bullets = titles
    .slice(0, 5)
    .map(
      ({ n, title }) =>
        `- ${title} addresses the question with its own method, and its results on standard benchmarks relate closely to the other papers listed here [${n}].`,
    );
  const text = bullets.length ? bullets.join('\n') : "The abstracts don't say.";
  return { type: 'stream', chunks: text.match(/\S+\s*/g) ?? [text] };
}

/** setTimeout's longest delay (about 24.8 days); longer ones fire at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

function countPromptTokens(body: ChatRequestBody | undefined): number {
  return estimateTokens((body?.messages ?? []).map((message) => String(message.content)).join(''));
}

function usageOf(promptTokens: number, completionTokens: number) {
  return { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens };
}

function asStream(reply: Extract<Reply, { type: 'completion' }>): Extract<Reply, { type: 'stream' }> {
  return {
    type: 'stream',
    chunks: reply.content.match(/\S+\s*/g) ?? [reply.content],
    ...(reply.refusal ? { refusal: reply.refusal } : {}),
    ...(reply.usage === false ? { usage: false } : {}),
    ...(reply.delayMs ? { firstTokenDelayMs: reply.delayMs } : {}),
  };
}

function completionBody(reply: Extract<Reply, { type: 'completion' }>, request: RecordedRequest) {
  return {
    id: 'chatcmpl-test',
    object: 'chat.completion',
    created: 0,
    model: request.body?.model ?? 'test-model',
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: reply.refusal ? null : reply.content, refusal: reply.refusal ?? null },
        finish_reason: reply.finishReason ?? 'stop',
      },
    ],
    ...(reply.usage === false ? {} : { usage: usageOf(request.promptTokens, estimateTokens(reply.content)) }),
  };
}

function sendError(res: ServerResponse, reply: Extract<Reply, { type: 'error' }>): void {
  if (reply.body !== undefined) {
    res.writeHead(reply.status, { 'content-type': 'text/plain; charset=utf-8', ...reply.headers });
    res.end(reply.body);
    return;
  }
  res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
  const error = {
    message: reply.message ?? `error ${reply.status}`,
    type: 'invalid_request_error',
    param: reply.param ?? null,
    code: reply.code ?? null,
  };
  res.end(JSON.stringify({ error }));
}

/**
 * OpenAI's and Azure OpenAI's answer to max_tokens for o-series and gpt-5 models, as reported
 * verbatim in e.g. griptape-ai/ComfyUI-Griptape#312 and fish2018/YPrompt#26 (and the reverse for a
 * server that takes only max_tokens).
 */
export function unsupportedParameter(parameter: 'max_tokens' | 'max_completion_tokens'): Extract<Reply, { type: 'error' }> {
  const other = parameter === 'max_tokens' ? 'max_completion_tokens' : 'max_tokens';
  return {
    type: 'error',
    status: 400,
    message: `Unsupported parameter: '${parameter}' is not supported with this model. Use '${other}' instead.`,
    param: parameter,
    code: 'unsupported_parameter',
  };
}

/**
 * DeepSeek's refusal of response_format json_schema: 422 with a plain-text serde message, as quoted
 * in BerriAI/litellm#7580 and browser-use/browser-use#215.
 */
export const DEEPSEEK_JSON_SCHEMA_422: Extract<Reply, { type: 'error' }> = {
  type: 'error',
  status: 422,
  body: 'Failed to deserialize the JSON body into the target type: response_format: response_format.type `json_schema` is unavailable now at line 1 column 1193',
};

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Aborts when the client goes away (or the server closes the connection). */
function closedSignal(res: ServerResponse): AbortSignal {
  const controller = new AbortController();
  res.on('close', () => controller.abort());
  return controller.signal;
}

/** Resolves after `ms`, or at once when `signal` aborts. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0 || signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, Math.min(ms, MAX_TIMER_MS));
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
