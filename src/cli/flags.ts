import { parseArgs, type ParseArgsConfig } from 'node:util';
import { checkQuery } from '../answer/topic-answer.js';
import type { SearchOptions } from '../search/types.js';

export const OPTIONS = {
  limit: { type: 'string' },
  corpus: { type: 'string' },
  json: { type: 'boolean', default: false },
  'no-prior': { type: 'boolean', default: false },
  from: { type: 'string' },
  to: { type: 'string' },
  'min-upvotes': { type: 'string' },
  queries: { type: 'string' },
  date: { type: 'string' },
  since: { type: 'string' },
  source: { type: 'string' },
  categories: { type: 'string' },
  channel: { type: 'string' },
  'dry-run': { type: 'boolean', default: false },
  post: { type: 'boolean', default: false },
  team: { type: 'string' },
  bibtex: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} satisfies ParseArgsConfig['options'];

export type Flags = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];

/** Bad usage or input: the message is shown as it is, with a pointer to the usage. */
export class UsageError extends Error {}

export function parseCommandLine(argv: string[]): { flags: Flags; positionals: string[] } {
  const { values, positionals } = parseArgs({ args: withNegativeValues(argv), options: OPTIONS, allowPositionals: true });
  return { flags: values, positionals };
}

/**
 * "--limit -3" as "--limit=-3": parseArgs takes a value starting with a dash for a forgotten value,
 * and its message about it is no help; the value's own check then says plainly what it takes.
 */
function withNegativeValues(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const name = /^--([a-z-]+)$/.exec(argv[i]!)?.[1];
    const next = argv[i + 1];
    if (name && OPTIONS[name as keyof typeof OPTIONS]?.type === 'string' && next !== undefined && /^-\d/.test(next)) {
      out.push(`--${name}=${next}`);
      i++;
    } else {
      out.push(argv[i]!);
    }
  }
  return out;
}

/** The filters a search was given, in words ("published from 2030-01-01"), for saying they removed every hit. */
export function describeFilters(options: SearchOptions): string | undefined {
  const parts = [
    options.from ? `from ${options.from}` : '',
    options.to ? `up to ${options.to}` : '',
    options.minUpvotes !== undefined ? `with at least ${options.minUpvotes} upvotes` : '',
  ].filter(Boolean);
  return parts.length ? parts.join(', ') : undefined;
}

export function validQuery(raw: string): string {
  const checked = checkQuery(raw);
  if ('problem' in checked) throw new UsageError(checked.message);
  return checked.query;
}

export function searchOptions(flags: Flags): SearchOptions {
  const options: SearchOptions = { prior: !flags['no-prior'] };
  const limit = wholeNumber(flags.limit, 'limit');
  if (limit !== undefined) options.limit = limit;
  const minUpvotes = wholeNumber(flags['min-upvotes'], 'min-upvotes', 0);
  if (minUpvotes !== undefined) options.minUpvotes = minUpvotes;
  if (flags.from) options.from = isoDate(flags.from, 'from');
  if (flags.to) options.to = isoDate(flags.to, 'to');
  return options;
}

export function wholeNumber(value: string | undefined, name: string, min = 1): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > 10_000)
    throw new UsageError(`--${name} takes a whole number from ${min} to 10000, not "${value}"`);
  return n;
}

export function isoDate(value: string, name: string): string {
  const time = /^\d{4}-\d{2}-\d{2}$/.test(value) ? Date.parse(`${value}T00:00:00Z`) : Number.NaN;
  const valid = !Number.isNaN(time) && new Date(time).toISOString().startsWith(value);
  if (!valid) throw new UsageError(`--${name} takes a date as YYYY-MM-DD, not "${value}"`);
  return value;
}

export function isParseArgsError(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
}
