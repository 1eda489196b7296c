import type { types } from '@slack/bolt';
import type { Subscription } from '../../digest/subscription.js';
import type { Paper } from '../../papers/paper.js';
import { escapeText, truncate } from '../mrkdwn.js';
import { context, divider, header, plainSection, section, type Block } from './elements.js';
import { LIMITS } from './limits.js';
import { paperTitleLink } from './paper.js';
import { CHANGE_HINT, subscriptionBlocks } from './subscriptions.js';
import { USAGE_TEXT } from './usage.js';

export interface HomeContent {
  recentSearches: string[];
  likedPapers: Paper[];
  /** The workspace's digests. */
  subscriptions: Subscription[];
  /** How fresh the corpus is (plain text), when known. */
  freshness?: string;
}

/** Room left for the digests once the rest of the tab is laid out. */
const SUBSCRIPTION_BLOCKS = 30;

/** The App Home tab: how to use the bot, what this user searched for and liked, and the workspace's digests. */
export function renderHome(content: HomeContent): types.HomeView {
  const blocks: Block[] = [header('Paperboy'), section(USAGE_TEXT)];
  if (content.freshness) blocks.push(context([`:newspaper: ${escapeText(truncate(content.freshness, 300))}`]));
  blocks.push(divider(), section('*Your recent searches*'));
  blocks.push(
    content.recentSearches.length
      ? plainSection(content.recentSearches.map((query) => `• ${truncate(query, 200)}`).join('\n'))
      : context(['Nothing yet: try `/papers` in a channel.']),
  );
  blocks.push(section('*Papers you liked*'));
  blocks.push(
    content.likedPapers.length
      ? section(content.likedPapers.map((paper) => `• ${paperTitleLink(paper)}`).join('\n'))
      : context(['Nothing yet: press 👍 under a paper to keep it here.']),
  );
  blocks.push(divider(), section('*Daily digests in this workspace*'));
  blocks.push(
    ...(content.subscriptions.length
      ? [...subscriptionBlocks(content.subscriptions, SUBSCRIPTION_BLOCKS), context([CHANGE_HINT])]
      : [context(['None yet: run `/papers subscribe` in a channel to get its trending papers every morning.'])]),
  );
  return { type: 'home', blocks: blocks.slice(0, LIMITS.homeBlocks) };
}
