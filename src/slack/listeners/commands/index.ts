import type { App } from '@slack/bolt';
import type { AppDeps } from '../../deps.js';
import { papersCommand } from './papers.js';

export function register(app: App, deps: AppDeps): void {
  app.command('/papers', papersCommand(deps));
}
