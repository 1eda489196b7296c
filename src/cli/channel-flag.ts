import { UsageError } from './flags.js';

/** `--channel`: an id ("C0123ABC", "#C0123ABC", Slack's "<#C0123ABC|name>") or a name ("#research", "research"). */
export type ChannelFlag = { id: string } | { name: string };

const ID = /^[CGD][A-Z0-9]{2,}$/;
// Slack's rule for names: lowercase letters, digits, hyphens, underscores and periods, at most 80.
const NAME = /^[a-z0-9][a-z0-9._-]{0,79}$/;

export function parseChannelFlag(value: string): ChannelFlag {
  const trimmed = value.trim();
  const mention = /^<#([CGD][A-Z0-9]+)(?:\|[^>]*)?>$/.exec(trimmed);
  if (mention) return { id: mention[1]! };
  const bare = trimmed.replace(/^#/, '');
  if (ID.test(bare)) return { id: bare };
  if (NAME.test(bare.toLowerCase())) return { name: bare.toLowerCase() };
  throw new UsageError(`--channel takes a channel id (C0123ABC) or a name (#research), not "${value}"`);
}

/**
 * The channels among `candidates` that bear this name: names live in Slack, so each candidate's is
 * asked of it (`nameOf`); undefined when Slack cannot be asked.
 */
export async function channelsNamed<T extends { channelId: string }>(
  name: string,
  candidates: T[],
  nameOf: ((candidate: T) => Promise<string | undefined>) | undefined,
): Promise<T[]> {
  if (!nameOf) {
    throw new UsageError(
      `--channel #${name}: channel names are looked up in Slack, so set SLACK_BOT_TOKEN, or give the channel's id (in Slack: the channel's details, at the bottom)`,
    );
  }
  const names = await Promise.all(candidates.map((candidate) => nameOf(candidate).catch(() => undefined)));
  return candidates.filter((_, i) => names[i] === name);
}
