import type { Synthesis, Tldr } from '../answer/types.js';
import { shortAuthors } from '../papers/authors.js';
import type { Paper } from '../papers/paper.js';
import type { SearchHit } from '../search/types.js';
import { oneLine } from '../lib/visible-text.js';

/*
 * Everything printed here comes from outside (paper files, Hugging Face, the LLM, the query): it is
 * printed only through oneLine (visible-text.ts), so that no escape sequence reaches the terminal (clear the
 * screen, a hidden OSC 8 link, an OSC 52 clipboard write) and no bidi override reorders a line;
 * titles, authors and links are put on one line (a newline in a title would draw a fake "[2]").
 */

/** Terminal text for `paperboy search`: one paper a block, best first. */
export function formatHits(hits: SearchHit[]): string {
  return hits
    .map((hit, i) =>
      [
        `${i + 1}. ${oneLine(hit.paper.title)}  (${hit.score.toFixed(2)})`,
        `   ${oneLine(hit.snippet)}`,
        `   matched: ${oneLine(hit.matched.join(', '))}`,
      ].join('\n'),
    )
    .join('\n\n');
}

export function formatHeading(query: string, shown: number, corpusSize: number): string {
  return `Papers on "${oneLine(query)}": top ${shown} of ${corpusSize}`;
}

export function formatSynthesisTitle(synthesis: Pick<Synthesis, 'notice'>): string {
  return synthesis.notice ? `Synthesis (${oneLine(synthesis.notice)})` : 'Synthesis';
}

export function formatBullet(bullet: string): string {
  return `  • ${oneLine(bullet)}`;
}

export function formatPaper(n: number, hit: SearchHit, tldr: Tldr): string {
  const { paper } = hit;
  const lines = [`[${n}] ${oneLine(paper.title)}`, `    ${oneLine(byline(paper))}`];
  lines.push(`    TL;DR${tldr.kind === 'llm' ? '' : ` (${kindLabel(tldr.kind)})`}: ${oneLine(tldr.text)}`);
  if (hit.matched.length) lines.push(`    Matched: ${oneLine(hit.matched.join(', '))}`);
  for (const url of paperUrls(paper)) lines.push(`    ${oneLine(url)}`);
  return lines.join('\n');
}

function byline(paper: Paper): string {
  const parts: string[] = [];
  if (paper.upvotes) parts.push(`${paper.upvotes} upvotes`);
  if (paper.authors.length) parts.push(shortAuthors(paper.authors));
  if (paper.trending) parts.push(`trending #${paper.trending.rank} on ${paper.trending.date}`);
  else if (paper.publishedAt) parts.push(paper.publishedAt);
  return parts.join(' · ') || paper.source;
}

function paperUrls(paper: Paper): string[] {
  const { page, arxiv, pdf, code } = paper.links;
  return [page ?? arxiv, pdf, code].filter((url): url is string => Boolean(url));
}

function kindLabel(kind: Tldr['kind']): string {
  return kind === 'hf-ai-summary' ? "Hugging Face's AI summary" : 'extractive';
}
