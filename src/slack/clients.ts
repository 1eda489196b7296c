import type { webApi } from '@slack/bolt';

/**
 * The Web API client that acts for a workspace: the one bot token in single-workspace mode, or the
 * token its OAuth installation stored. Used by work that starts without a Slack request (digests).
 */
export type ClientFor = (teamId: string) => Promise<webApi.WebClient>;
