import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

/**
 * Lines of the arXiv metadata snapshot's shape, for tests and bench:import. The shape is that of
 * Kaggle's "Cornell-University/arxiv" dataset card (arxiv-metadata-oai-snapshot.json) and its
 * first record, 0704.0001: every field present, null when empty ("journal-ref", "doi",
 * "report-no", "license"), the title and abstract hard-wrapped as arXiv stores them (the abstract
 * with two leading spaces, continuation lines indented by two, a trailing newline), versions
 * oldest first with RFC 2822 dates ("Mon, 2 Apr 2007 19:18:42 GMT"), update_date a plain day, and
 * authors_parsed as [keyname, forenames, suffix].
 */
export interface SnapshotRecordParts {
  id: string;
  title: string;
  abstract: string;
  /** Primary first. */
  categories: string[];
  /** [keyname, forenames] in reading order. */
  authors: Array<[string, string]>;
  /** First version's submission time, then later versions'. */
  versions: Date[];
}

export function snapshotLine(parts: SnapshotRecordParts): string {
  const last = parts.versions.at(-1)!;
  return JSON.stringify({
    id: parts.id,
    submitter: parts.authors[0] ? `${parts.authors[0][1]} ${parts.authors[0][0]}` : 'Anonymous',
    authors: parts.authors.map(([keyname, forenames]) => `${forenames} ${keyname}`).join(', '),
    title: hardWrap(parts.title, 70, '\n  '),
    comments: '12 pages, 3 figures',
    'journal-ref': null,
    doi: null,
    'report-no': null,
    categories: parts.categories.join(' '),
    license: 'http://arxiv.org/licenses/nonexclusive-distrib/1.0/',
    abstract: `  ${hardWrap(parts.abstract, 78, '\n')}\n`,
    versions: parts.versions.map((created, i) => ({ version: `v${i + 1}`, created: rfc2822(created) })),
    update_date: last.toISOString().slice(0, 10),
    authors_parsed: parts.authors.map(([keyname, forenames]) => [keyname, forenames, '']),
  });
}

/** A new-style id for the i-th synthetic record: 20,000 a month from January 2015 (2015 allows five digits). */
export function syntheticId(i: number): { id: string; created: Date } {
  const month = Math.floor(i / 20_000);
  const year = 2015 + Math.floor(month / 12);
  const created = new Date(Date.UTC(year, month % 12, 1 + (i % 28), 12, 0, 0));
  return {
    id: `${String(year % 100).padStart(2, '0')}${String((month % 12) + 1).padStart(2, '0')}.${String((i % 20_000) + 1).padStart(5, '0')}`,
    created,
  };
}

/** Writes lines to the file as they are made (never the whole file in memory). */
export async function writeLines(file: string, count: number, line: (i: number) => string): Promise<void> {
  const out = createWriteStream(file);
  for (let i = 0; i < count; i++) if (!out.write(`${line(i)}\n`)) await once(out, 'drain');
  out.end();
  await once(out, 'finish');
}

/** "Mon, 2 Apr 2007 19:18:42 GMT", as arXiv writes version dates (no leading zero on the day). */
function rfc2822(date: Date): string {
  return date.toUTCString().replace(/, 0(\d)/, ', $1');
}

/** Text broken at spaces into lines of at most `width`, as arXiv's stored titles and abstracts are. */
function hardWrap(text: string, width: number, joiner: string): string {
  const lines: string[] = [];
  let current = '';
  for (const word of text.split(' ')) {
    if (current && current.length + 1 + word.length > width) {
      lines.push(current);
      current = word;
    } else current = current ? `${current} ${word}` : word;
  }
  if (current) lines.push(current);
  return lines.join(joiner);
}
