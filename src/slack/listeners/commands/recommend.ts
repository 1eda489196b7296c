import type { webApi } from '@slack/bolt';
import type { Respond } from '../../respond.js';
import { utcDay } from '../../../lib/days.js';
import type { Paper } from '../../../papers/paper.js';
import { recommendFor } from '../../../recommend/index.js';
import { isNotInChannel } from '../../posting/slack-errors.js';
import { renderLibrary, renderRecommendations } from '../../blocks/recommend.js';
import type { AppDeps } from '../../deps.js';

interface Where {
  client: webApi.WebClient;
  teamId: string;
  channelId: string;
  respond: Respond;
}

/** Shown in Slack at most; the full list is for `paperboy library`. */
const LIBRARY_SHOWN = 30;

/** A direct message with the bot: its model is the person's own. */
function isDm(channelId: string): boolean {
  return channelId.startsWith('D');
}

/** `/papers recommend`: posted where the conversation sees it (and can vote), or to the asker alone if the bot cannot post. */
export async function recommendCommand(where: Where, deps: AppDeps): Promise<void> {
  const recommendations = await recommendFor(where.teamId, where.channelId, utcDay(), deps);
  if (!recommendations.picks.length) {
    await where.respond({
      response_type: 'ephemeral',
      text: 'I have no papers from the last 14 days of Daily Papers that this conversation has not seen yet.',
    });
    return;
  }
  const tldrs = await Promise.all(recommendations.picks.map((pick) => deps.answerer.tldr(pick.paper)));
  const message = renderRecommendations(recommendations, tldrs, isDm(where.channelId) ? 'dm' : 'channel');
  try {
    await where.client.chat.postMessage({
      channel: where.channelId,
      text: message.text,
      blocks: message.blocks,
      unfurl_links: false,
      unfurl_media: false,
    });
  } catch (error) {
    if (!isNotInChannel(error)) throw error;
    await where.respond({ response_type: 'ephemeral', ...message });
  }
}

/** `/papers library`: the conversation's reading list, to the asker alone. */
export async function libraryCommand(where: Where, deps: AppDeps): Promise<void> {
  const ids = await deps.store.channelLibrary(where.teamId, where.channelId, 1000);
  const papers = ids.map((id) => deps.index.get(id)).filter((paper): paper is Paper => paper !== undefined);
  await where.respond({ response_type: 'ephemeral', ...renderLibrary(papers.slice(0, LIBRARY_SHOWN), where.channelId, papers.length) });
}
