import type { types } from '@slack/bolt';
import type { Subscription } from '../../digest/subscription.js';
import type { Paper } from '../../papers/paper.js';
import { escapeText, truncate } from '../mrkdwn.js';
import { channelInterestBlocks, type ChannelInterests } from './channel-interests.js';
import { button, context, divider, header, plainSection, section, type Block } from './elements.js';
import { LIMITS } from './limits.js';
import { paperTitleLink } from './paper.js';
import { CHANGE_HINT, hiddenLine, subscriptionBlocks } from './subscriptions.js';
import { USAGE_TEXT } from './usage.js';

export interface HomeContent {
  recentSearches: string[];
  likedPapers: Paper[];
  /** The digests of conversations this user is a member of. */
  subscriptions: Subscription[];
  /** How many digests run in conversations this user is not in (counted, never named). */
  hiddenSubscriptions?: number;
  /** How fresh the corpus is (plain text), when known. */
  freshness?: string;
  /** What the person's own model (their DM with the bot) has learned from their votes and searches there. */
  interests?: { channelId: string; terms: string[] };
  /** What the models of the listed channels learned (only channels this person is in). */
  channelInterests?: ChannelInterests[];
  /** Listed channels whose interests were left out for room. */
  moreChannelInterests?: number;
}

/** The Home tab's "forget what you learned" button; its value is the conversation whose model is reset. */
export const RESET_INTERESTS_ACTION = 'interests_reset';

/** Room left for the digests once the rest of the tab is laid out. */
const SUBSCRIPTION_BLOCKS = 30;

/** The App Home tab: how to use the bot, what this user searched for and liked, and the digests of the conversations they are in. */
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
  if (content.interests) blocks.push(...interestBlocks(content.interests));
  const hidden = content.hiddenSubscriptions ?? 0;
  blocks.push(divider(), section('*Daily digests in conversations you are in*'));
  blocks.push(
    ...(content.subscriptions.length
      ? [
          ...subscriptionBlocks(content.subscriptions, SUBSCRIPTION_BLOCKS),
          context(hidden ? [hiddenLine(hidden), CHANGE_HINT] : [CHANGE_HINT]),
        ]
      : [
          context([
            ...(hidden ? [hiddenLine(hidden)] : []),
            'None yet: run `/papers subscribe` in a channel to get its trending papers every morning.',
          ]),
        ]),
  );
  blocks.push(...channelInterestBlocks(content.channelInterests ?? [], content.interests?.channelId, content.moreChannelInterests));
  return { type: 'home', blocks: blocks.slice(0, LIMITS.homeBlocks) };
}

/** What the person's model learned, in its own strongest words, with a way to start over. */
function interestBlocks({ channelId, terms }: { channelId: string; terms: string[] }): Block[] {
  if (!terms.length) {
    return [
      section('*What I learned you like*'),
      context(['Nothing yet: 👍 / 👎 papers in a DM with me, and `/papers recommend` there picks for you.']),
    ];
  }
  return [
    {
      type: 'section',
      text: { type: 'mrkdwn', text: truncate(`*What I learned you like*\n${escapeText(terms.join(', '))}`, LIMITS.sectionText) },
      accessory: button('Forget this', RESET_INTERESTS_ACTION, channelId, 'danger'),
    },
    context([
      'From your 👍 / 👎, Summarize and searches in our DM. Forgetting keeps your reading list and never brings back a paper you 👎’d.',
    ]),
  ];
}
