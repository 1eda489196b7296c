import { describe, expect, it } from 'vitest';
import { withoutBotMention } from '../../src/slack/mentions.js';

describe('withoutBotMention', () => {
  it("removes the bot mention and undoes Slack's escaping of the text", () => {
    expect(withoutBotMention('<@UBOT> is R&amp;D on &lt;KD&gt; worth it?', 'UBOT')).toBe('is R&D on <KD> worth it?');
    expect(withoutBotMention('<@UBOT|paperboy>   why   &amp;amp;?', 'UBOT')).toBe('why &amp;?');
  });

  it('leaves other mentions as they are', () => {
    expect(withoutBotMention('ask <@U123> too', 'UBOT')).toBe('ask <@U123> too');
  });
});
