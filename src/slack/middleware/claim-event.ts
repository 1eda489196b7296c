import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import type { Store } from '../../store/store.js';

/**
 * Slack redelivers an event it thinks went unanswered (x-slack-retry-num); each event id is
 * handled once, whichever delivery (or app instance) gets it first.
 */
export function claimEvent(store: Store): Middleware<AnyMiddlewareArgs> {
  return async ({ body, next }) => {
    const eventId =
      (body as { type?: unknown; event_id?: unknown }).type === 'event_callback' ? (body as { event_id?: unknown }).event_id : undefined;
    if (typeof eventId === 'string' && !(await store.claimEvent(eventId))) return;
    await next();
  };
}
