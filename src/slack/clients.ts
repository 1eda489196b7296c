import { webApi } from '@slack/bolt';
import type { InstallationRecords } from './installation-store.js';
import { botTokenOf } from './installation-store.js';

/**
 * The Web API client that acts for a workspace: the one bot token in single-workspace mode, or the
 * token its OAuth installation stored. Used by work that starts without a Slack request (digests).
 */
export type ClientFor = (teamId: string) => Promise<webApi.WebClient>;

/**
 * How long one Web API request may take. Without a limit, one hung call held its caller forever;
 * Slack answers in well under a second, so a request this slow is treated as failed (and retried
 * only where a retry is safe).
 */
export const SLACK_REQUEST_TIMEOUT_MS = 10_000;

/** The Web API client options, with a request timeout and a base URL other than Slack's (tests, the sandbox, proxies). */
export function webClientOptions(apiUrl: string | undefined, extra: webApi.WebClientOptions = {}): webApi.WebClientOptions {
  return { timeout: SLACK_REQUEST_TIMEOUT_MS, ...(apiUrl ? { slackApiUrl: apiUrl } : {}), ...extra };
}

/** Single-workspace mode: every team gets the one client. */
export function singleWorkspaceClient(client: webApi.WebClient): ClientFor {
  return async () => client;
}

/**
 * OAuth mode: the client with the bot token the team's installation holds. The installation is read
 * each time (a reinstall changes the token); the client is kept per team while its token stays the
 * same, so that its retry and rate-limit queue covers all of the team's calls.
 */
export function installedWorkspaceClients(installations: InstallationRecords, options: webApi.WebClientOptions = {}): ClientFor {
  const clients = new Map<string, { token: string; client: webApi.WebClient }>();
  return async (teamId) => {
    const token = await botTokenOf(installations, teamId);
    if (!token) throw new Error(`Paperboy is not installed in workspace ${teamId} (no OAuth installation stored)`);
    const cached = clients.get(teamId);
    if (cached?.token === token) return cached.client;
    const client = new webApi.WebClient(token, { ...options, teamId });
    clients.set(teamId, { token, client });
    return client;
  };
}

/** Single-workspace when there is a bot token, else each team's installation. */
export function clientsFor(
  botToken: string | undefined,
  installations: InstallationRecords,
  options: webApi.WebClientOptions = {},
): ClientFor {
  return botToken ? singleWorkspaceClient(new webApi.WebClient(botToken, options)) : installedWorkspaceClients(installations, options);
}
