/** What `/papers ...` asks for. Subcommand words are never taken for topics. */
export type PapersCommand =
  | { kind: 'help' }
  | { kind: 'digest'; subcommand: DigestSubcommand; args: string }
  /** `/papers recommend` (the channel's, or in a DM the person's, best unseen papers) and `/papers library` (its 👍'd papers). */
  | { kind: 'recommend' }
  | { kind: 'library' }
  | { kind: 'topic'; text: string };

/** The daily digest's subcommands: start or change, stop, and list a workspace's subscriptions. */
const DIGEST_SUBCOMMANDS = ['subscribe', 'unsubscribe', 'subscriptions'] as const;
export type DigestSubcommand = (typeof DIGEST_SUBCOMMANDS)[number];

export function parsePapersCommand(text: string): PapersCommand {
  const trimmed = text.trim();
  const [first = '', ...rest] = trimmed.split(/\s+/);
  const word = first.toLowerCase();
  if (word === '' || (word === 'help' && rest.length === 0)) return { kind: 'help' };
  const digest = DIGEST_SUBCOMMANDS.find((subcommand) => subcommand === word);
  if (digest) return { kind: 'digest', subcommand: digest, args: rest.join(' ') };
  if ((word === 'recommend' || word === 'library') && rest.length === 0) return { kind: word };
  return { kind: 'topic', text: trimmed };
}
