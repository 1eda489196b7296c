import { parseArgs, type ParseArgsConfig } from 'node:util';
import { answerTopic, checkQuery } from '../ask.js';
import { checkAnswer } from '../answer/citations.js';
import type { Answerer, SynthesisStream } from '../answer/types.js';
import { CorpusError, loadCorpus, resolveCorpusPath, type Corpus } from '../papers/corpus.js';
import { buildIndex } from '../search/index.js';
import type { PaperIndex, SearchOptions } from '../search/types.js';
import { readQueriesFile } from './queries-file.js';
import { formatBullet, formatHeading, formatHits, formatPaper, formatSynthesisTitle } from './terminal.js';

export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
  env: NodeJS.ProcessEnv;
  /** Builds the answerer for `ask`: the LLM when configured (`live`: worth streaming), else extractive. */
  answerer: () => Promise<{ answerer: Answerer; live: boolean; close: () => Promise<void> }>;
}

/** 0 done, 1 nothing matched, 2 bad usage or input. */
export const EXIT = { ok: 0, noMatch: 1, usage: 2 } as const;

export const USAGE = `Usage:
  paperboy ask <topic> [--limit N] [--corpus FILE]
      The answer /papers gives in Slack: the top papers with a synthesis and one-line summaries.
  paperboy search <query> [--limit N] [--corpus FILE] [--json] [--no-prior]
                          [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--min-upvotes N]
      Ranked hits, with why each matched.
  paperboy search --queries FILE [--limit N] [--corpus FILE] --json
      Batch search: JSON Lines of {"_id","text"} or {"id","query"} in, one JSON line per query out.

The corpus is --corpus FILE, else $PAPERBOY_CORPUS, else the embedded seed corpus (data/papers.jsonl):
JSON Lines, one paper a line with at least id, title, abstract (BEIR's _id, title, text accepted).`;

const OPTIONS = {
  limit: { type: 'string' },
  corpus: { type: 'string' },
  json: { type: 'boolean', default: false },
  'no-prior': { type: 'boolean', default: false },
  from: { type: 'string' },
  to: { type: 'string' },
  'min-upvotes': { type: 'string' },
  queries: { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
} satisfies ParseArgsConfig['options'];

type Flags = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];

class UsageError extends Error {}

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  try {
    const { values: flags, positionals } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true });
    const [command, ...words] = positionals;
    if (flags.help || !command || command === 'help') {
      io.out(USAGE);
      return command || flags.help ? EXIT.ok : EXIT.usage;
    }
    if (command === 'search') return flags.queries ? batchSearch(flags, io) : search(words.join(' '), flags, io);
    if (command === 'ask') return await ask(words.join(' '), flags, io);
    throw new UsageError(`unknown command "${command}"`);
  } catch (error) {
    if (error instanceof UsageError || error instanceof CorpusError || isParseArgsError(error)) {
      io.err(`paperboy: ${(error as Error).message}`);
      if (!(error instanceof CorpusError)) io.err(`Run "paperboy help" for usage.`);
      return EXIT.usage;
    }
    throw error;
  }
}

function search(raw: string, flags: Flags, io: CliIo): number {
  const query = validQuery(raw);
  const index = openIndex(flags, io);
  const hits = index.search(query, searchOptions(flags));
  if (flags.json) {
    const rows = hits.map((h) => ({ id: h.paper.id, title: h.paper.title, score: h.score, snippet: h.snippet, matched: h.matched }));
    io.out(JSON.stringify(rows));
    return hits.length ? EXIT.ok : EXIT.noMatch;
  }
  if (!hits.length) return noMatch(query, index, io);
  io.out(formatHits(hits));
  return EXIT.ok;
}

function batchSearch(flags: Flags, io: CliIo): number {
  if (!flags.json) throw new UsageError('batch search (--queries) writes JSON Lines: add --json');
  let queries;
  try {
    queries = readQueriesFile(flags.queries!);
  } catch (error) {
    throw new UsageError((error as Error).message.replace(/^ENOENT: /, 'cannot read queries: '));
  }
  const index = openIndex(flags, io);
  const options = searchOptions(flags);
  const lines = queries.map(({ id, text }) => {
    const hits = index.search(text, options).map((h) => ({ id: h.paper.id, score: h.score }));
    return JSON.stringify({ query_id: id, hits });
  });
  io.out(lines.join('\n'));
  return EXIT.ok;
}

async function ask(raw: string, flags: Flags, io: CliIo): Promise<number> {
  const query = validQuery(raw);
  const index = openIndex(flags, io);
  const { answerer, live, close } = await io.answerer();
  try {
    const answer = answerTopic(query, { index, answerer }, { ...searchOptions(flags), limit: flag(flags.limit, 'limit') ?? 5 });
    if (!answer) return noMatch(query, index, io);
    io.out(formatHeading(query, answer.hits.length, index.size) + '\n');
    if (live) {
      await printLive(answer.synthesis, answer.hits.length, io);
    } else {
      const synthesis = await answer.synthesis.final;
      io.out(formatSynthesisTitle(synthesis));
      for (const bullet of synthesis.bullets) io.out(formatBullet(bullet));
    }
    io.out('');
    const tldrs = await answer.tldrs;
    io.out(answer.hits.map((hit, i) => formatPaper(i + 1, hit, tldrs[i]!)).join('\n\n'));
    return EXIT.ok;
  } finally {
    await close();
  }
}

/**
 * Prints the LLM's bullets as they arrive, each checked on its own line, then the checked whole
 * if it differs (a fallback after a failure mid-stream, or a bullet the whole-answer check dropped).
 */
async function printLive(stream: SynthesisStream, paperCount: number, io: CliIo): Promise<void> {
  io.out('Synthesis');
  const printed: string[] = [];
  const printLine = (line: string) => {
    const checked = checkAnswer(line, { paperCount, maxBullets: 1 });
    if (!checked) return;
    printed.push(checked.bullets[0]!);
    io.out(formatBullet(checked.bullets[0]!));
  };
  let pending = '';
  for await (const delta of stream) {
    pending += delta;
    const lines = pending.split('\n');
    pending = lines.pop()!;
    lines.forEach(printLine);
  }
  printLine(pending);
  const final = await stream.final;
  if (final.bullets.join('\n') === printed.join('\n')) return;
  io.out(printed.length ? `  ${final.notice ?? 'Checked answer'}:` : `  (${final.notice ?? 'checked'})`);
  for (const bullet of final.bullets) io.out(formatBullet(bullet));
}

function noMatch(query: string, index: PaperIndex, io: CliIo): number {
  const close = index.suggest(query, 5);
  io.err(`No paper matches "${query}".` + (close.length ? ` Close terms in the corpus: ${close.join(', ')}.` : ''));
  return EXIT.noMatch;
}

function validQuery(raw: string): string {
  const checked = checkQuery(raw);
  if ('problem' in checked) throw new UsageError(checked.message);
  return checked.query;
}

function openIndex(flags: Flags, io: CliIo): PaperIndex {
  const corpus = loadCorpus(resolveCorpusPath(flags.corpus, io.env));
  reportSkipped(corpus, io);
  return buildIndex(corpus.papers);
}

function reportSkipped(corpus: Corpus, io: CliIo): void {
  const shown = corpus.issues.slice(0, 10);
  for (const issue of shown) io.err(`${issue.file}:${issue.line}: skipped: ${issue.message}`);
  const more = corpus.issues.length - shown.length;
  if (more > 0) io.err(`... and ${more} more skipped records`);
}

function searchOptions(flags: Flags): SearchOptions {
  const options: SearchOptions = { prior: !flags['no-prior'] };
  const limit = flag(flags.limit, 'limit');
  if (limit !== undefined) options.limit = limit;
  const minUpvotes = flag(flags['min-upvotes'], 'min-upvotes', 0);
  if (minUpvotes !== undefined) options.minUpvotes = minUpvotes;
  if (flags.from) options.from = date(flags.from, 'from');
  if (flags.to) options.to = date(flags.to, 'to');
  return options;
}

function flag(value: string | undefined, name: string, min = 1): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > 10_000) throw new UsageError(`--${name} takes a whole number from ${min} to 10000, not "${value}"`);
  return n;
}

function date(value: string, name: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(value))) {
    throw new UsageError(`--${name} takes a date as YYYY-MM-DD, not "${value}"`);
  }
  return value;
}

function isParseArgsError(error: unknown): boolean {
  return typeof (error as { code?: unknown })?.code === 'string' && (error as { code: string }).code.startsWith('ERR_PARSE_ARGS');
}
