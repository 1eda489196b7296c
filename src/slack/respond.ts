import type { RespondArguments } from '@slack/bolt';

/**
 * Answers the person who asked alone: a slash command's `respond` (its response_url), or for a
 * direct message, a reply in the DM's thread. Callers never read what it resolves with.
 */
export type Respond = (message: string | RespondArguments) => Promise<unknown>;
