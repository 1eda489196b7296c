import { kindOf, type Subscription } from '../../digest/subscription.js';
import { escapeText, literalText } from '../mrkdwn.js';
import type { RenderedMessage } from './topic-answer.js';
import { context, section, type Block } from './elements.js';
import { LIMITS } from './limits.js';

/** Already-escaped mrkdwn: "Every weekday at 09:00 Europe/Paris, papers on: distillation". */
export function describeSubscription(
  subscription: Pick<Subscription, 'time' | 'timeZone' | 'days' | 'topics' | 'kind' | 'categories'>,
): string {
  const when = `${subscription.days === 'daily' ? 'Every day' : 'Every weekday'} at ${subscription.time} ${escapeText(subscription.timeZone)}`;
  const topics = subscription.topics ? `papers on: ${literalText(subscription.topics)}` : '';
  if (kindOf(subscription) === 'arxiv') {
    const categories = subscription.categories?.length ? ` in ${escapeText(subscription.categories.join(', '))}` : '';
    return `New on arXiv${categories}: ${when}, ${topics || 'every new paper'}`;
  }
  return `${when}, ${topics || 'everything trending'}`;
}

/** A link to the channel (Slack shows its name); ids come from Slack, but are checked all the same. */
export function channelMention(channelId: string): string {
  return /^[A-Z0-9]+$/.test(channelId) ? `<#${channelId}>` : escapeText(channelId);
}

/** One bullet per channel, cut into sections Slack accepts; at most `maxBlocks` blocks in all. */
export function subscriptionBlocks(subscriptions: readonly Subscription[], maxBlocks: number): Block[] {
  const lines = subscriptions.map(
    (subscription) => `• ${channelMention(subscription.channelId)}: ${describeSubscription(subscription)}${pausedNote(subscription)}`,
  );
  const blocks: Block[] = [];
  let chunk: string[] = [];
  let shown = 0;
  const flush = () => {
    if (chunk.length) blocks.push(section(chunk.join('\n')));
    chunk = [];
  };
  for (const line of lines) {
    if ([...chunk, line].join('\n').length > LIMITS.sectionText) flush();
    // Keep a block free for the "and N more" line.
    if (chunk.length === 0 && blocks.length >= maxBlocks - 1) break;
    chunk.push(line);
    shown++;
  }
  flush();
  if (shown < lines.length) blocks.push(context([`…and ${lines.length - shown} more.`]));
  return blocks;
}

/** Why a channel's digests stopped, for the lists (App Home, /papers subscriptions). */
function pausedNote(subscription: Subscription): string {
  if (!subscription.paused) return '';
  return ` — :double_vertical_bar: *paused*: Slack answered \`${escapeText(subscription.paused)}\` (channel deleted, archived, or the bot removed); run \`/papers subscribe\` there again to resume`;
}

/** `/papers subscriptions`: the digests of the conversations this person is in, and how many others there are. */
export function renderSubscriptionList(subscriptions: readonly Subscription[], hidden = 0): RenderedMessage {
  if (subscriptions.length === 0) {
    const text = hidden
      ? `None of the conversations you are in gets the daily digest. ${hiddenLine(hidden)} Run \`/papers subscribe\` in a channel to start one.`
      : 'No channel in this workspace gets the daily digest yet. Run `/papers subscribe` in a channel to start one.';
    return { text, blocks: [section(text)] };
  }
  const heading = `*Daily digests in conversations you are in* (${subscriptions.length})`;
  const footer = hidden ? [hiddenLine(hidden), CHANGE_HINT] : [CHANGE_HINT];
  const blocks = [section(heading), ...subscriptionBlocks(subscriptions, LIMITS.messageBlocks - 2), context(footer)];
  return { text: `Daily digests in conversations you are in: ${subscriptions.length}`, blocks };
}

/** The digests a person is not shown, counted: which conversations they run in, and on what, stays with those conversations' members. */
export function hiddenLine(hidden: number): string {
  return `${hidden} other ${hidden === 1 ? 'digest runs' : 'digests run'} in conversations you are not in (not shown: only their members see them).`;
}

export const CHANGE_HINT =
  'To change a channel’s digest, run `/papers subscribe` there again with new settings; to stop it, `/papers unsubscribe`.';
