import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import type { ShownMessage } from './workspace.js';

/**
 * The sandbox's messages, kept across restarts in a JSON file beside the bot's database, so that
 * the page and the store agree: a digest the store says was posted is still in the channel, and an
 * old answer's thread can still be followed up. Ephemeral messages are not kept, as in Slack.
 */
const SavedSchema = z.object({
  version: z.literal(1),
  /** What the page shows. */
  shown: z.array(
    z.looseObject({
      ts: z.string(),
      channel: z.string(),
      author: z.enum(['user', 'bot', 'slackbot']),
      text: z.string(),
      postedAt: z.number(),
    }),
  ),
  /** What the Slack stand-in holds (chat.update, conversations.history), per channel. */
  slack: z.record(z.string(), z.array(z.looseObject({ ts: z.string() }))),
});

export type SavedMessages = { shown: ShownMessage[]; slack: Record<string, Array<Record<string, unknown> & { ts: string }>> };

/** What was saved, or nothing when there is no file yet; a damaged file is set aside, not fatal. */
export function loadSavedMessages(file: string, warn: (message: string) => void): SavedMessages {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return { shown: [], slack: {} };
  }
  try {
    const saved = SavedSchema.parse(JSON.parse(text));
    return { shown: saved.shown as ShownMessage[], slack: saved.slack };
  } catch (error) {
    renameSync(file, `${file}.unreadable`);
    warn(
      `sandbox: ${file} could not be read (${error instanceof Error ? error.message.split('\n')[0] : String(error)}); starting with an empty channel, the old file kept as ${file}.unreadable`,
    );
    return { shown: [], slack: {} };
  }
}

export function saveMessages(file: string, messages: SavedMessages): void {
  mkdirSync(dirname(file), { recursive: true });
  const shown = messages.shown.filter((message) => !message.ephemeral);
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify({ version: 1, shown, slack: messages.slack }));
  renameSync(temporary, file);
}
