import type { types } from '@slack/bolt';
import type { Paper } from '../../papers/paper.js';
import { escapeText, truncate } from '../mrkdwn.js';
import { context, divider, header, section, type Block } from './elements.js';
import { LIMITS } from './limits.js';
import { paperTitleLink } from './paper.js';
import { USAGE_TEXT } from './usage.js';

export interface HomeContent {
  recentSearches: string[];
  likedPapers: Paper[];
}

/** The App Home tab: how to use the bot, then what this user searched for and liked. */
export function renderHome(content: HomeContent): types.HomeView {
  const blocks: Block[] = [header('Paperboy'), section(USAGE_TEXT), divider(), section('*Your recent searches*')];
  blocks.push(
    content.recentSearches.length
      ? section(content.recentSearches.map((query) => `• ${escapeText(truncate(query, 200))}`).join('\n'))
      : context(['Nothing yet: try `/papers` in a channel.']),
  );
  blocks.push(section('*Papers you liked*'));
  blocks.push(
    content.likedPapers.length
      ? section(content.likedPapers.map((paper) => `• ${paperTitleLink(paper)}`).join('\n'))
      : context(['Nothing yet: press 👍 under a paper to keep it here.']),
  );
  return { type: 'home', blocks: blocks.slice(0, LIMITS.homeBlocks) };
}
