import type { AllMiddlewareArgs, SlackEventMiddlewareArgs, webApi } from '@slack/bolt';
import { utcDay } from '../../../lib/days.js';
import { interestsOf } from '../../../recommend/index.js';
import type { Paper } from '../../../papers/paper.js';
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
  const view = renderHome({
    recentSearches,
    likedPapers,
    subscriptions,
    hiddenSubscriptions: hidden,
    ...(freshness ? { freshness } : {}),
    ...learned,
  });
  await client.views.publish({ user_id: userId, view });
}
