import type { Paper } from './paper.js';

/**
 * Papers as BibTeX @misc entries, the form arXiv itself exports (eprint + archivePrefix), which
 * reference managers (Zotero, Mendeley, JabRef, BibDesk) import. Text is escaped for BibTeX/LaTeX.
 */
export function toBibtex(papers: readonly Paper[]): string {
  const keys = new Set<string>();
  return papers.map((paper) => entry(paper, uniqueKey(paper, keys))).join('\n\n') + (papers.length ? '\n' : '');
}

const ARXIV_ID = /^\d{4}\.\d{4,5}(v\d+)?$/;

function entry(paper: Paper, key: string): string {
  const fields: Array<[string, string]> = [['title', `{${escapeBibtex(paper.title)}}`]];
  if (paper.authors.length) fields.push(['author', paper.authors.map(escapeBibtex).join(' and ')]);
  const year = yearOf(paper);
  if (year) fields.push(['year', year]);
  if (ARXIV_ID.test(paper.id)) {
    fields.push(['eprint', paper.id], ['archivePrefix', 'arXiv']);
  }
  const url = paper.links.arxiv ?? paper.links.page;
  if (url) fields.push(['url', url.replace(/[{}\\\s]/g, encodeURIComponent)]);
  const body = fields.map(([name, value]) => `  ${name} = {${value}}`).join(',\n');
  return `@misc{${key},\n${body}\n}`;
}

/** The publication year, else the year an arXiv id encodes (YYMM.NNNNN). */
function yearOf(paper: Paper): string | undefined {
  if (paper.publishedAt) return paper.publishedAt.slice(0, 4);
  if (ARXIV_ID.test(paper.id)) return `20${paper.id.slice(0, 2)}`;
  return paper.trending?.date.slice(0, 4);
}

/** "arxiv2503.12345", or a slug of the id; letters, digits and .:- only, unique in the file. */
function uniqueKey(paper: Paper, taken: Set<string>): string {
  const base = (ARXIV_ID.test(paper.id) ? `arxiv${paper.id}` : paper.id.replace(/[^A-Za-z0-9.:-]+/g, '-').slice(0, 60)) || 'paper';
  let key = base;
  for (let n = 2; taken.has(key); n++) key = `${base}-${n}`;
  taken.add(key);
  return key;
}

const SPECIAL: Record<string, string> = {
  '\\': '\\textbackslash{}',
  '{': '\\{',
  '}': '\\}',
  '&': '\\&',
  '%': '\\%',
  $: '\\$',
  '#': '\\#',
  _: '\\_',
  '~': '\\textasciitilde{}',
  '^': '\\textasciicircum{}',
};

/** Characters BibTeX or LaTeX would read as syntax, escaped; control characters and newlines become spaces. */
function escapeBibtex(text: string): string {
  return [...text]
    .map((c) => (c < ' ' || c === '\u007f' ? ' ' : c))
    .join('')
    .replace(/ {2,}/g, ' ')
    .replace(/[\\{}&%$#_~^]/g, (c) => SPECIAL[c]!)
    .trim();
}
