import type { Tldr } from '../../answer/types.js';
import type { Paper } from '../../papers/paper.js';
import type { Recommendations } from '../../recommend/index.js';
import { escapeText, truncate } from '../mrkdwn.js';
import type { RenderedMessage } from './topic-answer.js';
import { context, divider, header, section, type Block } from './elements.js';
import { FALLBACK_TEXT_BUDGET, LIMITS } from './limits.js';
import { paperBlocks, paperTitleLink } from './paper.js';

const UNTAUGHT =
  'I have no votes from here yet, so these are the most popular papers I have not shown here. 👍 / 👎 teach me what this conversation wants.';

/** `/papers recommend`: the picks as digest cards (same buttons), each with why it was picked. */
export function renderRecommendations(recommendations: Recommendations, tldrs: Tldr[], where: 'channel' | 'dm'): RenderedMessage {
  const title = where === 'dm' ? 'Recommended for you' : 'Recommended for this channel';
  const span = recommendations.newest ? ` · Daily Papers up to ${recommendations.newest}` : '';
  const blocks: Block[] = [header(`${title}${span}`)];
  if (!recommendations.learned) blocks.push(context([UNTAUGHT]));
  for (const [i, { paper, because }] of recommendations.picks.entries()) {
    const part = paperBlocks({ paper, score: 0, matched: [], snippet: '' }, i + 1, tldrs[i]);
    const why = context([
      `_Why: ${escapeText(truncate(because.length ? `picked for ${where === 'dm' ? 'you' : 'this channel'}: ${because.join(', ')}` : popularity(paper), 300))}_`,
    ]);
    const buttonsAt = part.findIndex((block) => block.type === 'actions');
    const withWhy = buttonsAt < 0 ? [...part, why] : [...part.slice(0, buttonsAt), why, ...part.slice(buttonsAt)];
    if (blocks.length + withWhy.length + 1 > LIMITS.messageBlocks) break;
    blocks.push(...withWhy);
  }
  blocks.push(divider());
  const text = [title, ...recommendations.picks.map((pick, i) => `[${i + 1}] ${pick.paper.title}`)].join('\n');
  return { text: truncate(escapeText(text), FALLBACK_TEXT_BUDGET), blocks };
}

function popularity(paper: Paper): string {
  const parts = [];
  if (paper.trending) parts.push(`#${paper.trending.rank} trending on ${paper.trending.date}`);
  if (paper.upvotes) parts.push(`${paper.upvotes} upvotes`);
  return parts.join(', ') || 'new';
}

/** `/papers library`: the conversation's reading list, and how to take it to a reference manager. */
export function renderLibrary(papers: Paper[], channelId: string, total: number): RenderedMessage {
  if (!papers.length) {
    const text = 'This conversation’s reading list is empty: press 👍 under a paper to add it.';
    return { text, blocks: [section(text)] };
  }
  const lines = papers.map((paper, i) => `${i + 1}. ${paperTitleLink(paper)}`);
  const more = total > papers.length ? `\n…and ${total - papers.length} more.` : '';
  const hint = `Export it as BibTeX for Zotero, Mendeley or JabRef: \`paperboy library --channel ${escapeText(channelId)} --bibtex\``;
  return {
    text: `Reading list: ${papers.length} paper(s)`,
    blocks: [section(`*Reading list* (papers 👍'd here, latest first)\n${lines.join('\n')}${more}`), context([hint])],
  };
}
