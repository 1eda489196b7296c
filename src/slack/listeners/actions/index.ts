import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { paperActionPattern } from '../../actions.js';
import type { AppDeps } from '../../deps.js';
import { RESET_INTERESTS_ACTION } from '../../blocks/home.js';
import { RESET_CHANNEL_INTERESTS_PATTERN } from '../../blocks/channel-interests.js';
import { resetChannelInterests } from './reset-channel-interests.js';
import { feedback } from './feedback.js';
import { resetInterests } from './reset-interests.js';
import { moreLikeThis } from './more-like-this.js';
import { summarize } from './summarize.js';

export function register(app: App, deps: AppDeps): void {
  app.action<BlockAction<ButtonAction>>(paperActionPattern('summarize'), summarize(deps));
  app.action<BlockAction<ButtonAction>>(paperActionPattern('moreLike'), moreLikeThis(deps));
  app.action<BlockAction<ButtonAction>>(paperActionPattern('like'), feedback(deps, 1));
  app.action<BlockAction<ButtonAction>>(paperActionPattern('dislike'), feedback(deps, -1));
  app.action<BlockAction<ButtonAction>>(RESET_INTERESTS_ACTION, resetInterests(deps));
  app.action<BlockAction<ButtonAction>>(RESET_CHANNEL_INTERESTS_PATTERN, resetChannelInterests(deps));
}
