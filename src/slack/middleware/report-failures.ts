import type { AnyMiddlewareArgs, AllMiddlewareArgs, Middleware } from '@slack/bolt';
import type { Logger } from '../../lib/logger.js';

/** What the person sees when their request failed on our side: no internals, something to do. */
export const FAILURE_TEXT = ":warning: Sorry, something went wrong on Paperboy's side. Please try again in a moment.";

interface EventFields {
  type?: string;
  channel?: string;
  user?: string;
  thread_ts?: string;
  ts?: string;
  bot_id?: string;
}

/**
 * Registered first, so it wraps every listener (and the middleware after it): when one throws, even
 * after Slack was acknowledged, the person is told in an ephemeral message and the error goes on to
 * the app's error handler, which logs it with its stack.
 */
export function reportFailures(logger: Logger): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    try {
      await args.next();
    } catch (error) {
      await tellThePerson(args).catch((failure: unknown) =>
        logger.warn('could not tell the person their request failed', { error: failure }),
      );
      throw error;
    }
  };
}

async function tellThePerson({
  body,
  respond,
  client,
}: AnyMiddlewareArgs & AllMiddlewareArgs & { respond?: (message: object) => Promise<unknown> }): Promise<void> {
  // Slash commands and buttons on messages: their response_url posts an ephemeral reply.
  if (respond && 'response_url' in body && body.response_url) {
    await respond({ response_type: 'ephemeral', replace_original: false, text: FAILURE_TEXT });
    return;
  }
  // Mentions and thread replies: an ephemeral message in the same place (never to a bot).
  const event = (body as { event?: EventFields }).event;
  if (event?.channel && event.user && !event.bot_id) {
    const threadTs = event.thread_ts ?? (event.type === 'app_mention' ? event.ts : undefined);
    await client.chat.postEphemeral({
      channel: event.channel,
      user: event.user,
      text: FAILURE_TEXT,
      ...(threadTs ? { thread_ts: threadTs } : {}),
    });
  }
  // App Home and other surfaces without a channel: the log is all there is.
}

/** Where a failed request came from, for the log: ids only, never what the person wrote. */
export function describeRequest(body: unknown): Record<string, string | undefined> {
  const b = body as {
    type?: string;
    command?: string;
    team_id?: string;
    channel_id?: string;
    user_id?: string;
    team?: { id?: string };
    channel?: { id?: string };
    user?: { id?: string };
    event?: EventFields;
    actions?: Array<{ action_id?: string }>;
  };
  return {
    request: b.command ?? b.event?.type ?? b.actions?.[0]?.action_id ?? b.type,
    team: b.team_id ?? b.team?.id,
    channel: b.channel_id ?? b.channel?.id ?? b.event?.channel,
    user: b.user_id ?? b.user?.id ?? b.event?.user,
  };
}
