import type { webApi } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/lib/logger.js';
import { LiveMessage } from '../../src/slack/posting/live-message.js';
import type { RenderedMessage } from '../../src/slack/blocks/topic-answer.js';

/** A client whose chat.update takes `delayMs` and records what it sent, and when. */
function slowClient(delayMs: number) {
  const sent: Array<{ text: string; at: number }> = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const client = {
    chat: {
      update: async (args: { text: string }) => {
        maxInFlight = Math.max(maxInFlight, ++inFlight);
        await new Promise((resolve) => setTimeout(resolve, delayMs));
        inFlight--;
        sent.push({ text: args.text, at: Date.now() });
        return { ok: true };
      },
    },
  } as unknown as webApi.WebClient;
  return { client, sent, maxInFlight: () => maxInFlight };
}

const message = (text: string): RenderedMessage => ({ text, blocks: [] });

describe('LiveMessage', () => {
  it('sends at most one edit per interval, one at a time, skipping to the latest content', async () => {
    const { client, sent, maxInFlight } = slowClient(30);
    const live = new LiveMessage(client, 'C1', '1.1', 100, silentLogger);
    let renders = 0;
    for (let i = 1; i <= 30; i++) {
      live.show(() => {
        renders++;
        return message(`v${i}`);
      });
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await live.finish(message('final'));
    expect(sent.at(-1)!.text).toBe('final');
    expect(sent.length).toBeLessThanOrEqual(6);
    expect(renders).toBe(sent.length - 1);
    expect(maxInFlight()).toBe(1);
    const versions = sent.slice(0, -1).map((edit) => Number(edit.text.slice(1)));
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
  });

  it('never lets a slow interim edit land after the final one, and ignores content shown after it', async () => {
    const { client, sent } = slowClient(150);
    const live = new LiveMessage(client, 'C1', '1.1', 10, silentLogger);
    live.show(() => message('interim'));
    await new Promise((resolve) => setTimeout(resolve, 30));
    await live.finish(message('final'));
    live.show(() => message('too late'));
    // Longer than one slow edit (150 ms), so that a late edit would have been recorded.
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(sent.map((edit) => edit.text)).toEqual(['interim', 'final']);
  });
});
