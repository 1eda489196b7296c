import { describe, expect, it } from 'vitest';
import type { Synthesis } from '../../src/answer/types.js';
import type { Subscription } from '../../src/digest/subscription.js';
import type { Paper } from '../../src/papers/paper.js';
import { renderAnswer } from '../../src/slack/blocks/topic-answer.js';
import { renderDigest } from '../../src/slack/blocks/digest.js';
import { renderHome } from '../../src/slack/blocks/home.js';
import { renderReply } from '../../src/slack/blocks/reply.js';
import { renderSubscriptionList } from '../../src/slack/blocks/subscriptions.js';
import { renderUsage } from '../../src/slack/blocks/usage.js';

/**
 * Slack's published limits, copied here by hand from Slack's reference so that they owe nothing to
 * the app's own limits (src/slack/blocks/limits.ts) or to the fake Slack's rules
 * (src/fake-slack/block-kit-rules.ts). Sources, as published at https://docs.slack.dev (formerly api.slack.com):
 * - Blocks: reference/block-kit/blocks ("Up to 50 blocks in each message, up to 100 in modals or Home tabs";
 *   block_id 255 characters; header text 150; section text 3000, fields at most 10 of 2000 each;
 *   context at most 10 elements; actions at most 25 elements).
 * - Block elements: reference/block-kit/block-elements#button (text 75 characters, action_id 255,
 *   value 2000, url 3000).
 * - Composition objects: reference/block-kit/composition-objects#text (text at least 1 character).
 * - chat.postMessage: reference/methods/chat.postMessage ("text" truncated past 40,000 characters;
 *   under 4,000 recommended).
 */
const SLACK = {
  messageBlocks: 50,
  homeBlocks: 100,
  blockId: 255,
  headerText: 150,
  sectionText: 3000,
  sectionFields: 10,
  fieldText: 2000,
  contextElements: 10,
  actionsElements: 25,
  buttonText: 75,
  actionId: 255,
  buttonValue: 2000,
  buttonUrl: 3000,
  messageText: 40_000,
} as const;

type Json = Record<string, unknown>;

/** Every breach of the limits above, as "path: what"; [] when Slack would take the blocks. */
function breaches(blocks: Json[], maxBlocks: number): string[] {
  const found: string[] = [];
  const over = (path: string, value: unknown, max: number) => {
    const length = typeof value === 'string' ? [...value].length : Array.isArray(value) ? value.length : 0;
    if (length > max) found.push(`${path}: ${length} > ${max}`);
  };
  const text = (path: string, object: unknown, max: number) => {
    const t = (object as { text?: unknown } | undefined)?.text;
    if (typeof t !== 'string' || t.length === 0) found.push(`${path}: empty text`);
    over(path, t, max);
  };
  over('blocks', blocks, maxBlocks);
  blocks.forEach((block, i) => {
    const at = `blocks[${i}] (${String(block.type)})`;
    over(`${at}.block_id`, block.block_id, SLACK.blockId);
    if (block.type === 'header') text(`${at}.text`, block.text, SLACK.headerText);
    if (block.type === 'section') {
      if (block.text) text(`${at}.text`, block.text, SLACK.sectionText);
      over(`${at}.fields`, block.fields, SLACK.sectionFields);
      ((block.fields as unknown[]) ?? []).forEach((field, j) => text(`${at}.fields[${j}]`, field, SLACK.fieldText));
      if (block.accessory) button(`${at}.accessory`, block.accessory as Json);
    }
    if (block.type === 'context') {
      over(`${at}.elements`, block.elements, SLACK.contextElements);
      (block.elements as Json[]).forEach(
        (element, j) => element.type !== 'image' && text(`${at}.elements[${j}]`, element, SLACK.sectionText),
      );
    }
    if (block.type === 'actions') {
      over(`${at}.elements`, block.elements, SLACK.actionsElements);
      (block.elements as Json[]).forEach((element, j) => button(`${at}.elements[${j}]`, element));
    }
  });
  function button(at: string, element: Json) {
    if (element.type !== 'button') return;
    text(`${at}.text`, element.text, SLACK.buttonText);
    over(`${at}.action_id`, element.action_id, SLACK.actionId);
    over(`${at}.value`, element.value, SLACK.buttonValue);
    over(`${at}.url`, element.url, SLACK.buttonUrl);
  }
  return found;
}

// Adversarial papers: the longest fields real sources send, and longer.
const long = (n: number, word = 'distillation ') => word.repeat(Math.ceil(n / word.length)).slice(0, n);
function paper(n: number): Paper {
  return {
    id: `2501.${String(n).padStart(5, '0')}`,
    title: `${long(600, 'Title & <markup> *bold* ')} ${n}`,
    abstract: long(20_000),
    authors: Array.from({ length: 300 }, (_, i) => `Author ${i} ${long(40, 'Name ')}`),
    upvotes: 99_999,
    links: {
      page: `https://huggingface.co/papers/2501.${n}?${long(2500, 'q=1&')}`,
      arxiv: `https://arxiv.org/abs/2501.${n}`,
      pdf: `https://arxiv.org/pdf/2501.${n}`,
    },
    keywords: Array.from({ length: 50 }, (_, i) => `keyword-${i}`),
    source: 'test',
  };
}
const papers = Array.from({ length: 12 }, (_, i) => paper(i + 1));
const synthesis = (): { status: 'done'; synthesis: Synthesis } => ({
  status: 'done',
  synthesis: {
    kind: 'llm',
    bullets: Array.from({ length: 40 }, (_, i) => `${long(900)} [${(i % 8) + 1}].`),
    cited: [1, 2, 3, 4, 5, 6, 7, 8],
  },
});
const tldr = { text: long(5000), kind: 'llm' as const };
const subscription = (i: number): Subscription => ({
  teamId: 'T1',
  channelId: `C${i}`,
  time: '09:00',
  timeZone: 'America/Argentina/ComodRivadavia',
  days: 'weekdays',
  topics: long(500, '<!channel> topic '),
  createdBy: 'U1',
});

describe("rendered messages within Slack's published Block Kit limits", () => {
  it('a /papers answer with the longest papers and synthesis', () => {
    const message = renderAnswer({
      title: long(1000, 'Papers on “x” '),
      hits: papers.map((p) => ({ paper: p, score: 1, matched: Array.from({ length: 40 }, (_, i) => `term${i}`), snippet: long(8000) })),
      synthesis: synthesis(),
      tldrs: papers.map(() => tldr),
      footer: long(4000),
    });
    expect(breaches(message.blocks as unknown as Json[], SLACK.messageBlocks)).toEqual([]);
    expect(message.text.length).toBeLessThanOrEqual(SLACK.messageText);
  });

  it('a thread reply citing many long sources', () => {
    const message = renderReply({ heading: long(2000), synthesis: synthesis(), sources: papers });
    expect(breaches(message.blocks as unknown as Json[], SLACK.messageBlocks)).toEqual([]);
    expect(message.text.length).toBeLessThanOrEqual(SLACK.messageText);
  });

  it('a digest of many long papers with long reasons', () => {
    const picks = Array.from({ length: 40 }, (_, i) => ({ paper: paper(i + 1), score: 1, reasons: [long(3000), long(3000)] }));
    const message = renderDigest({
      subscription: subscription(1),
      date: '2025-03-28',
      trendingDate: '2025-03-27',
      trendingDays: ['2025-03-27'],
      picks,
      tldrs: picks.map(() => tldr),
    });
    expect(breaches(message.blocks as unknown as Json[], SLACK.messageBlocks)).toEqual([]);
    expect(message.text.length).toBeLessThanOrEqual(SLACK.messageText);
  });

  it('the App Home with long history and many digests', () => {
    const view = renderHome({
      recentSearches: Array.from({ length: 500 }, (_, i) => `${long(3000)} ${i}`),
      likedPapers: Array.from({ length: 500 }, (_, i) => paper(i)),
      subscriptions: Array.from({ length: 3000 }, (_, i) => subscription(i)),
      freshness: long(5000),
    });
    expect(breaches(view.blocks as unknown as Json[], SLACK.homeBlocks)).toEqual([]);
  });

  it('the subscription list and the usage message', () => {
    const list = renderSubscriptionList(Array.from({ length: 3000 }, (_, i) => subscription(i)));
    expect(breaches(list.blocks as unknown as Json[], SLACK.messageBlocks)).toEqual([]);
    expect(breaches(renderUsage().blocks as unknown as Json[], SLACK.messageBlocks)).toEqual([]);
  });

  it('the checker itself catches a breach of each kind', () => {
    const button = (over: Json) => ({ type: 'button', text: { type: 'plain_text', text: 'ok' }, action_id: 'a', ...over });
    const bad: Json[] = [
      { type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } },
      { type: 'section', text: { type: 'mrkdwn', text: 's'.repeat(3001) }, block_id: 'b'.repeat(256) },
      { type: 'section', fields: Array.from({ length: 11 }, () => ({ type: 'mrkdwn', text: 'f' })) },
      { type: 'section', fields: [{ type: 'mrkdwn', text: 'f'.repeat(2001) }] },
      { type: 'context', elements: Array.from({ length: 11 }, () => ({ type: 'mrkdwn', text: 'c' })) },
      {
        type: 'actions',
        elements: [
          button({ text: { type: 'plain_text', text: 't'.repeat(76) } }),
          button({ value: 'v'.repeat(2001) }),
          button({ url: `https://x/${'u'.repeat(3000)}` }),
        ],
      },
      { type: 'section', text: { type: 'mrkdwn', text: '' } },
    ];
    expect(breaches(bad, SLACK.messageBlocks)).toHaveLength(10);
    expect(
      breaches(
        Array.from({ length: 51 }, () => ({ type: 'divider' })),
        SLACK.messageBlocks,
      ),
    ).toEqual(['blocks: 51 > 50']);
  });
});
