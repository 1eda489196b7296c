import type { Tldr } from '../../answer/types.js';
import type { Paper } from '../../papers/paper.js';
import type { SearchHit } from '../../search/types.js';
import { paperActionId, paperActionPattern, paperPosition } from '../actions.js';
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
        ...voteButtons(paper.id, position, NO_VOTES),
      ],
    });
  }
  return blocks;
}

function paperLinks(paper: Paper): string[] {
  const { arxiv, pdf, code, project } = paper.links;
  const candidates: Array<[string | undefined, string]> = [
    [arxiv, 'arXiv'],
    [pdf, 'PDF'],
    [code, 'Code'],
    [project, 'Project'],
  ];
  const links = candidates.filter(([url]) => safeUrl(url)).map(([url, label]) => link(url, label));
  if (paper.publishedAt) links.push(paper.publishedAt);
  return links;
}

/** A paper's votes in the channel the message is in. */
export interface VoteCount {
  up: number;
  down: number;
}

const NO_VOTES: VoteCount = { up: 0, down: 0 };

/**
 * 👍 and 👎 showing the channel's vote: each with its count, and the side the channel leans to
 * styled (green for 👍, red for 👎), so that a click visibly does something.
 */
function voteButtons(paperId: string, position: number, votes: VoteCount): ReturnType<typeof button>[] {
  const count = (n: number) => (n ? ` ${n}` : '');
  const lean = Math.sign(votes.up - votes.down);
  return [
    button(`👍${count(votes.up)}`, paperActionId('like', position), paperId, lean > 0 ? 'primary' : undefined),
    button(`👎${count(votes.down)}`, paperActionId('dislike', position), paperId, lean < 0 ? 'danger' : undefined),
  ];
}

/**
 * The message's blocks (as Slack sent them with a click) with this paper's vote buttons showing
 * `votes`; undefined when the message has no such buttons.
 */
export function withVotes(blocks: readonly unknown[], paperId: string, votes: VoteCount): Block[] | undefined {
  let found = false;
  const isVote = (id: string) => paperActionPattern('like').test(id) || paperActionPattern('dislike').test(id);
  const updated = blocks.map((block) => {
    const actions = block as { type?: string; elements?: Array<{ action_id?: string; value?: string }> };
    if (actions.type !== 'actions' || !actions.elements) return block;
    const at = actions.elements.findIndex((element) => element.value === paperId && isVote(element.action_id ?? ''));
    if (at < 0) return block;
    found = true;
    const position = paperPosition(actions.elements[at]!.action_id!);
    const others = actions.elements.filter((element) => !(element.value === paperId && isVote(element.action_id ?? '')));
    return { ...actions, elements: [...others.slice(0, at), ...voteButtons(paperId, position, votes), ...others.slice(at)] };
  });
  return found ? (updated as Block[]) : undefined;
}
