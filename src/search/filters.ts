import type { Paper } from '../papers/paper.js';
import { paperDate } from './prior.js';
import type { SearchOptions } from './types.js';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The SearchOptions filters as one predicate; papers without a date fail any date bound. */
export function paperFilter(options: SearchOptions): (paper: Paper) => boolean {
  const { from, to, minUpvotes } = options;
  checkDate('from', from);
  checkDate('to', to);
  const excluded = new Set(options.exclude ?? []);
  return (paper) => {
    if (excluded.has(paper.id)) return false;
    if (minUpvotes !== undefined && paper.upvotes < minUpvotes) return false;
    if (from === undefined && to === undefined) return true;
    const date = paperDate(paper);
    if (date === undefined) return false;
    return (from === undefined || date >= from) && (to === undefined || date <= to);
  };
}

function checkDate(name: string, value: string | undefined): void {
  if (value !== undefined && !ISO_DATE.test(value)) {
    throw new RangeError(`search option ${name} must be a date as YYYY-MM-DD, got "${value}"`);
  }
}
