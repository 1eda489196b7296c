import type { AllMiddlewareArgs, SlackEventMiddlewareArgs, webApi } from '@slack/bolt';
import { utcDay } from '../../../lib/days.js';
import { interestsOf, learnedInterestsOf } from '../../../recommend/index.js';
import type { Paper } from '../../../papers/paper.js';
import { CHANNEL_INTERESTS_SHOWN, type ChannelInterests } from '../../blocks/channel-interests.js';
import { renderHome } from '../../blocks/home.js';
import type { AppDeps } from '../../deps.js';
import { visibleSubscriptions } from '../../subscription-visibility.js';

const RECENT = 10;

/** The Home tab, refreshed each time it is opened: the user's own searches and likes, the digests of the conversations they are in. */
export function appHomeOpened(deps: AppDeps) {
  return async ({ event, client, context }: SlackEventMiddlewareArgs<'app_home_opened'> & AllMiddlewareArgs): Promise<void> => {
    if (event.tab !== 'home') return;
    await publishHome(client, context.teamId ?? '', event.user, event.channel, deps);
  };
}

/** Renders and publishes a person's Home tab; `dmChannel` (their DM with the bot) holds their own learned interests. */
export async function publishHome(
  client: webApi.WebClient,
  teamId: string,
  userId: string,
  dmChannel: string | undefined,
  deps: AppDeps,
): Promise<void> {
  const [recentSearches, likedIds, all, interests] = await Promise.all([
    deps.store.recentSearches(teamId, userId, RECENT),
    deps.store.likedPapers(teamId, userId, RECENT),
    deps.store.listSubscriptions(teamId),
    dmChannel ? interestsOf(teamId, dmChannel, utcDay(), deps) : Promise.resolve([]),
  ]);
  const { shown: subscriptions, hidden } = await visibleSubscriptions(client, userId, all, deps.logger);
  const likedPapers = likedIds.map((id) => deps.index.get(id)).filter((paper): paper is Paper => paper !== undefined);
  const freshness = deps.freshness?.();
  const learned = dmChannel ? { interests: { channelId: dmChannel, terms: interests } } : {};
  // Channels only: a DM listed here is the person's own, shown above as their interests.
  const channels = subscriptions.map((subscription) => subscription.channelId).filter((channelId) => !channelId.startsWith('D'));
  const channelInterests = await Promise.all(
    channels.slice(0, CHANNEL_INTERESTS_SHOWN).map((channelId) => channelInterestsOf(teamId, channelId, deps)),
  );
  const view = renderHome({
    recentSearches,
    likedPapers,
    subscriptions,
    hiddenSubscriptions: hidden,
    ...(freshness ? { freshness } : {}),
    ...learned,
    channelInterests,
    moreChannelInterests: Math.max(0, channels.length - CHANNEL_INTERESTS_SHOWN),
  });
  await client.views.publish({ user_id: userId, view });
}

async function channelInterestsOf(teamId: string, channelId: string, deps: AppDeps): Promise<ChannelInterests> {
  const [learned, reset] = await Promise.all([
    learnedInterestsOf(teamId, channelId, utcDay(), deps),
    deps.store.lastLearningReset(teamId, channelId),
  ]);
  return { channelId, ...learned, ...(reset ? { reset } : {}) };
}
