import { escapeText, truncate } from '../mrkdwn.js';

/** How to let the bot into a channel (already-escaped mrkdwn). */
export const INVITE_ME = 'Invite me with `/invite @Paperboy`';

/** The header of a topic answer (plain text, so the query shows exactly as typed). */
export function topicTitle(query: string): string {
  return `Papers on “${truncate(query, 120)}”`;
}

/** Nothing matched: say so, and offer close terms when the index has some. */
export function noMatchText(query: string, suggestions: string[]): string {
  const said = `I found no papers on “${escapeText(truncate(query, 200))}”.`;
  if (suggestions.length === 0) return `${said} Try broader or different words.`;
  return `${said} Did you mean: ${suggestions.map((term) => `\`${escapeText(term.replace(/`/g, ''))}\``).join(', ')}?`;
}
