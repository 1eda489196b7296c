import type { SearchOptions } from './types.js';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** What docFilter reads of a document, without inflating its paper. */
export interface DocFacts {
  /** paperDate in ms (UTC midnight), NaN when the paper has none. */
  dateMs(doc: number): number;
  upvotes(doc: number): number;
  /** The document of an indexed paper id. */
  docOf(id: string): number | undefined;
}

/** The SearchOptions filters as one predicate over documents; a paper without a date fails any date bound. */
export function docFilter(options: SearchOptions, facts: DocFacts): (doc: number) => boolean {
  const { from, to, minUpvotes } = options;
  checkDate('from', from);
  checkDate('to', to);
  const docs = (ids: Iterable<string>) => new Set([...ids].flatMap((id) => facts.docOf(id) ?? []));
  const excluded = docs(options.exclude ?? []);
  const only = options.only && docs(options.only);
  const fromMs = from === undefined ? -Infinity : Date.parse(from);
  const toMs = to === undefined ? Infinity : Date.parse(to);
  const dated = from !== undefined || to !== undefined;
  return (doc) => {
    if (excluded.has(doc) || (only && !only.has(doc))) return false;
    if (minUpvotes !== undefined && facts.upvotes(doc) < minUpvotes) return false;
    if (!dated) return true;
    // A NaN date fails both comparisons, as an undated paper fails any date bound.
    const date = facts.dateMs(doc);
    return date >= fromMs && date <= toMs;
  };
}

function checkDate(name: string, value: string | undefined): void {
  if (value !== undefined && (!ISO_DATE.test(value) || Number.isNaN(Date.parse(value)))) {
    throw new RangeError(`search option ${name} must be a date as YYYY-MM-DD, got "${value}"`);
  }
}
