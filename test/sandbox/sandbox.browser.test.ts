import { join } from 'node:path';
import { statSync } from 'node:fs';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/paths.js';
import type { Sandbox } from '../../src/sandbox/sandbox.js';
import { CHROMIUM, CHROMIUM_FLAGS, finishedMessage, haveChromium, startSeedSandbox } from '../support/browser.js';

if (!haveChromium && !process.env.CI)
  console.warn(`sandbox browser test skipped: no Chromium at ${CHROMIUM} (apt-get install chromium, or bash .ci/chromium.sh)`);

describe.skipIf(!haveChromium && !process.env.CI)('the sandbox in a browser', () => {
  let started: Awaited<ReturnType<typeof startSeedSandbox>>;
  let sandbox: Sandbox;
  let browser: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    if (!haveChromium) throw new Error(`Chromium is missing at ${CHROMIUM}: CI installs it with .ci/chromium.sh`);
    started = await startSeedSandbox();
    sandbox = started.sandbox;
    browser = await chromium.launchPersistentContext(join(started.dir, 'chromium'), {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_FLAGS,
      viewport: { width: 1200, height: 800 },
    });
    page = browser.pages()[0] ?? (await browser.newPage());
    await page.goto(sandbox.url);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await started?.close();
  });

  it('answers /papers, "More like this" and a follow-up in the thread, as Slack would show them', async () => {
    const channel = page.locator('#messages');
    await page.locator('#channel-input').fill('/papers distillation');
    await page.locator('#channel-input').press('Enter');

    const answer = finishedMessage(channel, 'Papers on “distillation”');
    await expect.poll(() => answer.count(), { timeout: 15_000 }).toBe(1);
    const title = answer.getByRole('link', { name: /^Dual-Head Knowledge Distillation/ });
    expect(await title.getAttribute('href')).toMatch(/^https:\/\//);
    // Rendered, not shown as source: no mrkdwn markers or escapes are left in the text.
    expect(await answer.innerText()).not.toMatch(/<https?:|&amp;|&lt;|\*\[1\]/);
    await expect.poll(() => channel.getByText('Only visible to you').count()).toBeGreaterThan(0);

    await answer.getByRole('button', { name: 'More like this' }).first().click();
    await answer.getByRole('button', { name: '1 reply' }).click();
    const thread = page.locator('#thread-messages');
    await expect.poll(() => finishedMessage(thread, 'More like “').count(), { timeout: 15_000 }).toBe(1);

    await page.locator('#thread-input').fill('Which one adds an auxiliary head?');
    await page.locator('#thread-input').press('Enter');
    await expect.poll(() => thread.locator('article.message-user').filter({ hasText: 'auxiliary head' }).count()).toBe(1);
    const followUp = thread.locator('article').last();
    await expect
      .poll(() => followUp.innerText(), { timeout: 15_000 })
      .toMatch(/^(?![\s\S]*(?:Thinking…|▍))[\s\S]*Dual-Head Knowledge Distillation/);
    expect(await followUp.getAttribute('class')).toContain('message-bot');

    await answer.evaluate((message) => message.scrollIntoView({ block: 'start' }));
    await page.mouse.move(1, 1);
    // test/out/ is scratch; UPDATE_SCREENSHOT=1 refreshes the README's picture instead.
    const shot =
      process.env.UPDATE_SCREENSHOT === '1' ? join(projectRoot, 'docs', 'sandbox.png') : join(projectRoot, 'test', 'out', 'sandbox.png');
    await page.screenshot({ path: shot });
    expect(statSync(shot).size).toBeGreaterThan(10_000);
  }, 60_000);

  it('shows the Home tab the app publishes when it is opened', async () => {
    await page.locator('#nav-home').click();
    const home = page.locator('#home-content');
    await expect.poll(() => home.innerText(), { timeout: 10_000 }).toContain('Your recent searches');
    expect(await home.innerText()).toContain('• distillation');
    await page.locator('#nav-channel').click();
  });

  it('renders mrkdwn as text and safe links, never as HTML', async () => {
    const source =
      '*bold <https://example.org/?a=1&amp;b=2|a &lt;b&gt;>* &lt;img src=x onerror=alert(1)&gt; <javascript:alert(1)|click> _it_ `&lt;code&gt;`';
    // A string, so that the test runner's module transform leaves the page's import() alone.
    const html = await page.evaluate(`import('/mrkdwn.js').then(({ mrkdwn }) => {
      const box = document.createElement('div');
      box.append(mrkdwn(${JSON.stringify(source)}));
      return box.innerHTML;
    })`);
    expect(html).toBe(
      '<strong>bold <a href="https://example.org/?a=1&amp;b=2" target="_blank" rel="noopener noreferrer">a &lt;b&gt;</a></strong> &lt;img src=x onerror=alert(1)&gt; click <em>it</em> <code>&lt;code&gt;</code>',
    );
  });
});
