import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody } from '../../src/lib/http-body.js';

/**
 * A deterministic OpenAI-compatible POST /v1/embeddings on 127.0.0.1. Response shape from OpenAI's API
 * reference ("Create embeddings"): {object:'list', data:[{object:'embedding', index, embedding:[...]}],
 * model, usage:{prompt_tokens, total_tokens}}; Ollama's and vLLM's OpenAI-compatible /v1/embeddings
 * send the same shape. The vector counts words by concept: words in one CONCEPTS group share a
 * dimension, so a paraphrase with no shared word still lands close (what a real model does, crudely).
 */
export const CONCEPTS: readonly (readonly string[])[] = [
  ['small', 'smaller', 'compact', 'student', 'tiny'],
  ['big', 'bigger', 'large', 'teacher', 'ones'],
  ['learn', 'learning', 'mimic', 'imitates', 'trained', 'transfer'],
  ['protein', 'residues', 'folding'],
  ['graph', 'graphs', 'molecules', 'atoms'],
];
const DIMENSIONS = CONCEPTS.length + 1;

export function fakeEmbedding(text: string): number[] {
  const vector = new Array<number>(DIMENSIONS).fill(0);
  for (const word of text.toLowerCase().match(/[a-z]+/g) ?? []) {
    const concept = CONCEPTS.findIndex((group) => group.includes(word));
    if (concept >= 0) vector[concept]! += 1;
  }
  vector[DIMENSIONS - 1] = 0.01; // never the zero vector
  return vector;
}

export interface EmbeddingsTestServer {
  readonly baseURL: string;
  /** Each request's inputs. */
  readonly requests: string[][];
  /** 'ok' answers; 'fail' answers 500; 'hang' never answers. */
  mode: 'ok' | 'fail' | 'hang';
  close(): Promise<void>;
}

export async function startEmbeddingsServer(): Promise<EmbeddingsTestServer> {
  const requests: string[][] = [];
  const state = { mode: 'ok' as EmbeddingsTestServer['mode'] };
  const server = createServer(async (req, res) => {
    const body = JSON.parse(await readBody(req)) as { model: string; input: string | string[] };
    const input = Array.isArray(body.input) ? body.input : [body.input];
    requests.push(input);
    if (state.mode === 'hang') return;
    if (req.url !== '/v1/embeddings' || state.mode === 'fail') {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: 'boom', type: 'server_error' } }));
      return;
    }
    const tokens = input.reduce((sum, text) => sum + Math.ceil(text.length / 4), 0);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        object: 'list',
        data: input.map((text, index) => ({ object: 'embedding', index, embedding: fakeEmbedding(text) })),
        model: body.model,
        usage: { prompt_tokens: tokens, total_tokens: tokens },
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    get mode() {
      return state.mode;
    },
    set mode(mode) {
      state.mode = mode;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
