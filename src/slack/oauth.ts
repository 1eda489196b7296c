import type { App, AppOptions } from '@slack/bolt';
import type { Logger } from '../lib/logger.js';
import type { InstallationRecords } from './installation-store.js';
import type { OAuthCredentials } from './config.js';
import { createInstallationStore } from './installation-store.js';
import { manifestBotScopes } from './oauth-scopes.js';

export const INSTALL_PATH = '/slack/install';
const REDIRECT_PATH = '/slack/oauth_redirect';

/**
 * Bolt's built-in OAuth: /slack/install shows "Add to Slack" (asking for manifest.yml's bot scopes),
 * /slack/oauth_redirect exchanges the code (oauth.v2.access) and stores the installation, and every
 * request is authorized with the bot token of the installation its workspace (or org) stored.
 */
export function oauthOptions(credentials: OAuthCredentials, installations: InstallationRecords): AppOptions {
  return {
    ...credentials,
    scopes: manifestBotScopes(),
    installationStore: createInstallationStore(installations),
    installerOptions: { installPath: INSTALL_PATH, redirectUriPath: REDIRECT_PATH },
  };
}

/**
 * Forgets a workspace's (or org's) installation when the app is uninstalled there, so that its
 * token is no longer used (a digest for it then fails with "not installed" instead of invalid_auth).
 * Slack sends app_uninstalled to apps subscribed to it in Event Subscriptions.
 */
export function forgetUninstalledWorkspaces(app: App, installations: InstallationRecords, logger: Logger): void {
  app.event('app_uninstalled', async ({ context }) => {
    const key = context.isEnterpriseInstall ? { enterpriseId: context.enterpriseId } : { teamId: context.teamId };
    await installations.deleteInstallation(key);
    logger.info('app uninstalled: installation forgotten', { team: context.teamId, enterprise: context.enterpriseId });
  });
}
