import { createHash } from 'node:crypto';

/** Case, spacing, Unicode form and closing punctuation do not make a different question. */
export function normalizeQuery(query: string): string {
  return query
    .normalize('NFKC')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[\s?.!]+$/, '');
}

export interface AnswerKeyParts {
  operation: 'topic' | 'follow-up' | 'deep-dive';
  model: string;
  promptVersion: number;
  /** The normalized query or question; empty for a deep dive. */
  query: string;
  /** The papers the prompt held, in order (their [n] depends on it). */
  paperIds: string[];
  /** Earlier turns of a thread, which change a follow-up's answer. */
  history?: string[];
}

/**
 * Part of every answer and TL;DR key, next to the prompt's version. Format 1 entries were written
 * before reasoning models' `<think>…</think>` was stripped, so they may hold thinking: format 2
 * keys never find them, and they are never served. Bump it when cached entries must not be read.
 */
export const CACHE_FORMAT = 2;

export function answerKey(parts: AnswerKeyParts): string {
  const digest = createHash('sha256')
    .update(JSON.stringify([parts.query, parts.paperIds, parts.history ?? []]))
    .digest('hex')
    .slice(0, 32);
  return `answer:f${CACHE_FORMAT}:${parts.operation}:v${parts.promptVersion}:${parts.model}:${digest}`;
}

export function tldrKey(model: string, promptVersion: number, paperId: string): string {
  return `tldr:f${CACHE_FORMAT}:v${promptVersion}:${model}:${paperId}`;
}
