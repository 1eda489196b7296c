import { basename } from 'node:path';
import type { z } from 'zod';
import { DEFAULT_CORPUS } from '../paths.js';
import { LinesFileError, readLines, type Line } from '../lib/read-lines.js';
import { PaperSchema, type Paper } from './paper.js';

export interface CorpusIssue {
  file: string;
  line: number;
  message: string;
}

export interface Corpus {
  file: string;
  papers: Paper[];
  /** Records that were skipped, with where and why. */
  issues: CorpusIssue[];
}

/** A corpus that cannot be used at all: missing, unreadable, or without one valid paper. */
export class CorpusError extends Error {
  override name = 'CorpusError';
}

export const CORPUS_ENV = 'PAPERBOY_CORPUS';

/** `--corpus FILE` wins, then $PAPERBOY_CORPUS, then the embedded seed corpus. */
export function resolveCorpusPath(flag: string | undefined, env: { PAPERBOY_CORPUS?: string | undefined }): string {
  return flag || env[CORPUS_ENV] || DEFAULT_CORPUS;
}

/** Longest record kept: a paper with a 10,000-character abstract is well under it. */
export const MAX_RECORD_BYTES = 1 << 20;
/** Largest corpus file read (about 200,000 papers): past it, reading stops rather than filling memory. */
export const MAX_CORPUS_BYTES = 512 * (1 << 20);

export function loadCorpus(file: string): Corpus {
  let corpus: Corpus;
  try {
    corpus = collect(readLines(file, { maxLineBytes: MAX_RECORD_BYTES, maxFileBytes: MAX_CORPUS_BYTES, label: 'corpus' }), file);
  } catch (error) {
    if (error instanceof LinesFileError) throw new CorpusError(error.message);
    throw error;
  }
  if (corpus.papers.length === 0) {
    const first = corpus.issues[0];
    const hint = first ? ` (first problem: line ${first.line}: ${first.message})` : '';
    throw new CorpusError(`corpus ${file} holds no valid paper${hint}; expected JSON Lines with id, title, abstract`);
  }
  return corpus;
}

/** One JSON object a line; BEIR's {_id, title, text} is accepted as {id, title, abstract}. */
export function parseCorpus(text: string, file: string): Corpus {
  return collect(
    text.split('\n').map((line, i) => ({ line: i + 1, end: 0, text: line })),
    file,
  );
}

function collect(lines: Iterable<Line>, file: string): Corpus {
  const papers: Paper[] = [];
  const issues: CorpusIssue[] = [];
  const seen = new Set<string>();
  const source = basename(file);
  for (const entry of lines) {
    const { line } = entry;
    if ('tooLong' in entry) {
      issues.push({ file, line, message: `longer than ${MAX_RECORD_BYTES} bytes` });
      continue;
    }
    if (!('text' in entry)) continue;
    const raw = entry.text.trim();
    if (!raw) continue;
    const result = parseRecord(raw, source);
    if (!result.ok) {
      issues.push({ file, line, message: result.message });
    } else if (seen.has(result.paper.id)) {
      issues.push({ file, line, message: `duplicate id "${result.paper.id}", kept the first` });
    } else {
      seen.add(result.paper.id);
      papers.push(result.paper);
    }
  }
  return { file, papers, issues };
}

type RecordResult = { ok: true; paper: Paper } | { ok: false; message: string };

function parseRecord(raw: string, source: string): RecordResult {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return { ok: false, message: 'not valid JSON' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, message: 'not a JSON object' };
  }
  const record = fromBeir(value as Record<string, unknown>);
  const parsed = PaperSchema.safeParse({ source, ...record });
  if (!parsed.success) return { ok: false, message: describe(parsed.error) };
  return { ok: true, paper: parsed.data };
}

function fromBeir(record: Record<string, unknown>): Record<string, unknown> {
  const { _id, text, metadata: _metadata, ...rest } = record;
  const mapped: Record<string, unknown> = { ...rest };
  if (mapped.id === undefined && _id !== undefined) mapped.id = String(_id);
  if (mapped.abstract === undefined && typeof text === 'string') mapped.abstract = text;
  if (typeof mapped.id === 'number') mapped.id = String(mapped.id);
  return mapped;
}

function describe(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => (issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
    .join('; ');
}
