import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/paths.js';
import type { Sandbox } from '../../src/sandbox/sandbox.js';
import { CHROMIUM, CHROMIUM_FLAGS, finishedMessage, haveChromium, startSeedSandbox } from '../support/browser.js';

const OUT = join(projectRoot, 'test', 'out');

/** Left, right and width of an element, in CSS pixels. */
const box = async (locator: Locator) => (await locator.boundingBox())!;

describe.skipIf(!haveChromium && !process.env.CI)('the sandbox at 1400 px and at 760 px', () => {
  let started: Awaited<ReturnType<typeof startSeedSandbox>>;
  let sandbox: Sandbox;
  let browser: Browser;

  beforeAll(async () => {
    started = await startSeedSandbox({
      about: { corpus: '68 papers: the seed page', answers: 'extractive summaries (no LLM configured)' },
    });
    sandbox = started.sandbox;
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
    mkdirSync(OUT, { recursive: true });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await started?.close();
  });

  for (const width of [1400, 760]) {
    it(`${width} px: a vote changes its button, Summarize leads the person to its reply in the thread, and the layout holds with the thread open`, async () => {
      const page: Page = await browser.newPage({ viewport: { width, height: 900 } });
      try {
        await page.goto(sandbox.url);
        // The page says what is real and what is simulated.
        const about = page.locator('#about');
        await expect.poll(() => about.innerText()).toContain('68 papers: the seed page');
        expect(await about.innerText()).toMatch(/Paperboy is the real app[\s\S]*Slack is a local stand-in[\s\S]*extractive summaries/);

        const channel = page.locator('#messages');
        const query = `/papers distillation ${width}`;
        await page.locator('#channel-input').fill(query);
        await page.locator('#channel-input').press('Enter');
        const answer = finishedMessage(channel, `Papers on “distillation ${width}”`);
        await expect.poll(() => answer.count(), { timeout: 20_000 }).toBe(1);

        // A vote shows on the message at once (count and style), and the same click again takes it back.
        const like = () => answer.locator('button[data-action-id^="paper_like"]').first();
        await like().click();
        // The 👍 is drawn as an image (alt 👍); the count is the button's text.
        const state = async () => `${await like().getAttribute('class')} | ${(await like().innerText()).trim()}`;
        await expect.poll(state, { timeout: 10_000 }).toBe('button button-primary | 1');
        await like().click();
        await expect.poll(state, { timeout: 10_000 }).toBe('button | ');

        // The channel is shared by both widths: count the pointers already there (an earlier width's).
        const pointer = channel.locator('article.message-ephemeral').filter({ hasText: 'A closer look at' });
        const before = await pointer.count();
        await answer.getByRole('button', { name: 'Summarize' }).first().click();
        // At once, in the channel: a pointer only this person sees, linking to the reply.
        await expect.poll(() => pointer.count(), { timeout: 10_000 }).toBe(before + 1);
        await pointer.last().getByRole('link', { name: 'in the thread' }).click();

        const thread = page.locator('#thread');
        await expect.poll(() => thread.isVisible()).toBe(true);
        const reply = finishedMessage(page.locator('#thread-messages'), 'A closer look at');
        await expect.poll(() => reply.count(), { timeout: 20_000 }).toBe(1);
        // The reply is in view in the thread pane, which is inside the window.
        const paneBox = await box(thread);
        expect(paneBox.x + paneBox.width).toBeLessThanOrEqual(width + 1);
        expect(paneBox.width).toBeGreaterThanOrEqual(360);
        const replyBox = await box(reply);
        expect(replyBox.y).toBeLessThan(900);
        expect(replyBox.y + 20).toBeGreaterThan(0);

        // The channel is never squeezed to a sliver: at least 320 px, titles on whole lines.
        const channelBox = await box(page.locator('#channel-view'));
        expect(channelBox.width).toBeGreaterThanOrEqual(320);
        const header = answer.locator('.block-header').first();
        expect((await box(header)).height).toBeLessThan(60);

        await page.mouse.move(1, 1);
        const shot = join(OUT, `sandbox-${width}.png`);
        await page.screenshot({ path: shot });
        expect(statSync(shot).size).toBeGreaterThan(10_000);
      } finally {
        await page.close();
      }
    }, 90_000);
  }

  it('sending while scrolled up jumps to the new answer', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 700 } });
    try {
      await page.goto(sandbox.url);
      const channel = page.locator('#messages');
      await expect.poll(() => channel.locator('article').count()).toBeGreaterThan(2);
      await channel.evaluate((list) => (list.scrollTop = 0));
      await page.locator('#channel-input').fill('/papers curriculum learning');
      await page.locator('#channel-input').press('Enter');
      const answer = finishedMessage(channel, 'Papers on “curriculum learning”');
      await expect.poll(() => answer.count(), { timeout: 20_000 }).toBe(1);
      const listBox = await box(channel);
      await expect.poll(async () => (await box(answer)).y < listBox.y + listBox.height).toBe(true);
      expect(await channel.evaluate((list) => list.scrollHeight - list.scrollTop - list.clientHeight)).toBeLessThan(120);
    } finally {
      await page.close();
    }
  }, 60_000);
});
