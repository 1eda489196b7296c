import { escapeText, truncate } from '../mrkdwn.js';
import { button, confirmDialog, context, divider, section, type Block } from './elements.js';
import { LIMITS } from './limits.js';
import { channelMention } from './subscriptions.js';

/** What one channel's model learned, as App Home shows it to a member of that channel. */
export interface ChannelInterests {
  channelId: string;
  /** The model's strongest terms as people write them; empty while it has nothing to go on. */
  terms: string[];
  /** Net votes since the last reset: what taught it. */
  votes: number;
  /** The latest reset, when there was one. */
  reset?: { userId?: string; at?: Date };
}

/**
 * Action ids of the per-channel "Reset" buttons: one per channel, as Slack wants a view's action ids
 * unique. The button's value is "<channel> <the person's DM with the bot>", the DM so that Home can
 * be redrawn after the reset.
 */
export const RESET_CHANNEL_INTERESTS_ACTION = 'channel_interests_reset';
export const RESET_CHANNEL_INTERESTS_PATTERN = new RegExp(`^${RESET_CHANNEL_INTERESTS_ACTION}:`);

/** At most this many channels are listed: two blocks each, inside Home's 100 with room for the rest. */
export const CHANNEL_INTERESTS_SHOWN = 10;

/**
 * Per channel the person is in: what its model learned from the channel's votes, and a guarded way to
 * reset it; `more` channels were left out for room.
 */
export function channelInterestBlocks(channels: readonly ChannelInterests[], dmChannel: string | undefined, more = 0): Block[] {
  if (!channels.length) return [];
  const blocks: Block[] = [divider(), section('*What each channel’s digest learned*')];
  for (const channel of channels.slice(0, CHANNEL_INTERESTS_SHOWN)) {
    const where = channelMention(channel.channelId);
    if (!channel.terms.length) {
      blocks.push(context([`${where}: nothing learned yet. 👍 / 👎 papers there and its digest leans on them.`]));
      continue;
    }
    const taught = `${channel.votes} vote${channel.votes === 1 ? '' : 's'}`;
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: truncate(`${where}: ${escapeText(channel.terms.join(', '))}`, LIMITS.sectionText) },
      accessory: {
        ...button(
          'Reset',
          `${RESET_CHANNEL_INTERESTS_ACTION}:${channel.channelId}`,
          [channel.channelId, dmChannel ?? ''].join(' ').trim(),
          'danger',
        ),
        confirm: confirmDialog(
          'Reset this channel’s interests?',
          'The digest forgets what it learned from this channel’s votes and searches, for everyone in it, from the next digest on. Its reading list stays, and 👎’d papers stay out.',
          'Reset',
        ),
      },
    });
    blocks.push(context([`Learned from ${taught} in the channel${resetNote(channel.reset)}.`]));
  }
  const left = more + Math.max(0, channels.length - CHANNEL_INTERESTS_SHOWN);
  if (left) blocks.push(context([`…and ${left} more channel${left === 1 ? '' : 's'}.`]));
  return blocks;
}

function resetNote(reset: ChannelInterests['reset']): string {
  if (!reset?.at) return '';
  const who = reset.userId && /^[A-Z0-9]+$/.test(reset.userId) ? ` by <@${reset.userId}>` : '';
  return ` since its reset${who} on ${reset.at.toISOString().slice(0, 10)}`;
}
