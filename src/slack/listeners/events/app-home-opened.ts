import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { Paper } from '../../../papers/paper.js';
import { renderHome } from '../../blocks/home.js';
import type { AppDeps } from '../../deps.js';
import { visibleSubscriptions } from '../../subscription-visibility.js';

const RECENT = 10;

/** The Home tab, refreshed each time it is opened: the user's own searches and likes, the digests of the conversations they are in. */
export function appHomeOpened(deps: AppDeps) {
  return async ({ event, client, context }: SlackEventMiddlewareArgs<'app_home_opened'> & AllMiddlewareArgs): Promise<void> => {
    if (event.tab !== 'home') return;
    const teamId = context.teamId ?? '';
    const [recentSearches, likedIds, all] = await Promise.all([
      deps.store.recentSearches(teamId, event.user, RECENT),
      deps.store.likedPapers(teamId, event.user, RECENT),
      deps.store.listSubscriptions(teamId),
    ]);
    const { shown: subscriptions, hidden } = await visibleSubscriptions(client, event.user, all, deps.logger);
    const likedPapers = likedIds.map((id) => deps.index.get(id)).filter((paper): paper is Paper => paper !== undefined);
    const freshness = deps.freshness?.();
    const view = renderHome({ recentSearches, likedPapers, subscriptions, hiddenSubscriptions: hidden, ...(freshness ? { freshness } : {}) });
    await client.views.publish({ user_id: event.user, view });
  };
}
