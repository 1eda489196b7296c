/**
 * A message event a person sent: plain, a thread reply also sent to the channel
 * (`thread_broadcast`) or one with a file (`file_share`). Edits, deletions, joins and every bot's
 * messages (this bot's own included) are not a person asking anything.
 */
export interface PersonMessage {
  user: string;
  text: string;
  ts: string;
  threadTs?: string;
  channel: string;
  channelType?: string;
  team?: string;
}

/** Subtypes Slack gives a person's own message (Events API "message" subtypes). */
const PERSON_SUBTYPES = new Set<string | undefined>([undefined, 'thread_broadcast', 'file_share']);

export function personMessage(event: Record<string, unknown>, botUserId: string | undefined): PersonMessage | undefined {
  const subtype = typeof event.subtype === 'string' ? event.subtype : undefined;
  if (!PERSON_SUBTYPES.has(subtype) || event.bot_id || typeof event.user !== 'string' || !event.user) return undefined;
  if (botUserId && event.user === botUserId) return undefined;
  if (typeof event.channel !== 'string' || typeof event.ts !== 'string') return undefined;
  const threadTs = typeof event.thread_ts === 'string' && event.thread_ts !== event.ts ? event.thread_ts : undefined;
  return {
    user: event.user,
    text: typeof event.text === 'string' ? event.text : '',
    ts: event.ts,
    ...(threadTs ? { threadTs } : {}),
    channel: event.channel,
    ...(typeof event.channel_type === 'string' ? { channelType: event.channel_type } : {}),
    ...(typeof event.team === 'string' ? { team: event.team } : {}),
  };
}
