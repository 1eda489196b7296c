import type { App } from '@slack/bolt';
import type { AppDeps } from '../../deps.js';
import { appHomeOpened } from './app-home-opened.js';
import { appMention } from './app-mention.js';
import { threadMessage } from './thread-message.js';

export function register(app: App, deps: AppDeps): void {
  app.event('app_mention', appMention(deps));
  app.event('message', threadMessage(deps));
  app.event('app_home_opened', appHomeOpened(deps));
}
