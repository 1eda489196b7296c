import type { Tldr } from '../../answer/types.js';
import type { Paper } from '../../papers/paper.js';
import type { SearchHit } from '../../search/types.js';
import { paperActionId } from '../actions.js';
import { escapeText, link, safeUrl, truncate } from '../mrkdwn.js';
import { button, context, section, type Block } from './elements.js';
import { shortAuthors } from '../../papers/authors.js';

const TLDR_LABEL: Record<Tldr['kind'], string> = {
  llm: 'TL;DR',
  'hf-ai-summary': 'TL;DR (Hugging Face)',
  extractive: 'From the abstract',
};

export function paperTitleLink(paper: Paper): string {
  return link(paper.links.page ?? paper.links.arxiv, truncate(paper.title, 250));
}

/** The three blocks for one numbered paper: what it is, where to read it, what to do with it. */
export function paperBlocks(hit: SearchHit, position: number, tldr: Tldr | undefined, withButtons = true): Block[] {
  const { paper } = hit;
  const lines = [`*[${position}] ${paperTitleLink(paper)}*${paper.upvotes ? `   ▲ ${paper.upvotes}` : ''}`];
  const authors = shortAuthors(paper.authors);
  if (authors) lines.push(`_${escapeText(truncate(authors, 200))}_`);
  const summary = tldr ? `*${TLDR_LABEL[tldr.kind]}:* ${escapeText(truncate(tldr.text, 600))}` : escapeText(truncate(hit.snippet, 600));
  if (summary) lines.push(summary);
  if (hit.matched.length) lines.push(`_Matched: ${escapeText(truncate(hit.matched.join(', '), 300))}_`);

  const blocks: Block[] = [section(lines.join('\n'), `paper:${position}`)];
  const links = paperLinks(paper);
  if (links.length) blocks.push(context([links.join('  ·  ')]));
  if (withButtons) {
    blocks.push({
      type: 'actions',
      block_id: `paper_actions:${position}`,
      elements: [
        button('Summarize', paperActionId('summarize', position), paper.id),
        button('More like this', paperActionId('moreLike', position), paper.id),
        button('👍', paperActionId('like', position), paper.id),
        button('👎', paperActionId('dislike', position), paper.id),
      ],
    });
  }
  return blocks;
}

function paperLinks(paper: Paper): string[] {
  const { arxiv, pdf, code, project } = paper.links;
  const candidates: Array<[string | undefined, string]> = [[arxiv, 'arXiv'], [pdf, 'PDF'], [code, 'Code'], [project, 'Project']];
  const links = candidates.filter(([url]) => safeUrl(url)).map(([url, label]) => link(url, label));
  if (paper.publishedAt) links.push(paper.publishedAt);
  return links;
}
