/** The message text without mentions of the bot itself. */
export function withoutBotMention(text: string, botUserId: string | undefined): string {
  if (!botUserId) return text.trim();
  return text.replace(new RegExp(`<@${botUserId}(\\|[^>]*)?>`, 'g'), ' ').replace(/\s+/g, ' ').trim();
}
