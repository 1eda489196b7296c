/**
 * A message's text as the person typed it: mentions of the bot removed, and Slack's own escaping
 * of &, < and > in message text undone (it is escaped again wherever it is shown).
 */
export function withoutBotMention(text: string, botUserId: string | undefined): string {
  const unmentioned = botUserId ? text.replace(new RegExp(`<@${botUserId}(\\|[^>]*)?>`, 'g'), ' ') : text;
  return unmentioned.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&').replace(/\s+/g, ' ').trim();
}
