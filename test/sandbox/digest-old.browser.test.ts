import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSettings } from '../../src/config.js';
import { silentLogger } from '../../src/lib/logger.js';
import { projectRoot } from '../../src/paths.js';
import { startSandboxRuntime, type SandboxRuntime } from '../../src/runtime/sandbox.js';
import { CHROMIUM, CHROMIUM_FLAGS, finishedMessage, haveChromium } from '../support/browser.js';

const OUT = join(projectRoot, 'test', 'out');
/** The seed corpus's one Daily Papers list: every digest built today is built from an old list. */
const SEED_DAY = '2025-03-28';

if (!haveChromium && !process.env.CI)
  console.warn(`digest-old browser test skipped: no Chromium at ${CHROMIUM} (apt-get install chromium, or bash .ci/chromium.sh)`);

describe.skipIf(!haveChromium && !process.env.CI)('the sandbox digest from an old list, at 1400 px and at 760 px', () => {
  let browser: Browser;

  beforeAll(async () => {
    if (!haveChromium) throw new Error(`Chromium is missing at ${CHROMIUM}: CI installs it with .ci/chromium.sh`);
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
    mkdirSync(OUT, { recursive: true });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  for (const width of [1400, 760]) {
    it(`${width} px: "Post today's digest now" posts a digest whose header says the list is old and names ${SEED_DAY}`, async () => {
      // The runtime `npm start` runs with no Slack credentials, on the seed corpus and a fresh SQLite file;
      // refresh off, so Hugging Face is never asked and the seed list stays the newest there is.
      // One runtime per width: a channel gets one digest a day.
      const dir = mkdtempSync(join(tmpdir(), 'paperboy-digest-old-'));
      let runtime: SandboxRuntime | undefined;
      let page: Page | undefined;
      try {
        runtime = await startSandboxRuntime({
          settings: loadSettings({ PAPERBOY_DB: join(dir, 'paperboy.db'), PAPERBOY_REFRESH: 'off', PORT: '0' }),
          logger: silentLogger,
          host: '127.0.0.1',
        });
        page = await browser.newPage({ viewport: { width, height: 900 } });
        await page.goto(runtime.url);
        const channel = page.locator('#messages');
        const input = page.locator('#channel-input');

        await input.fill('/papers subscribe');
        await input.press('Enter');
        const subscribed = channel.locator('article.message-ephemeral').filter({ hasText: 'will get the trending papers digest' });
        await expect.poll(() => subscribed.count(), { timeout: 20_000 }).toBe(1);

        await page.locator('#digest').click();
        const digest = finishedMessage(channel, `Trending papers · ${SEED_DAY}`);
        await expect.poll(() => digest.count(), { timeout: 30_000 }).toBe(1);
        expect(await channel.innerText()).toContain("Posted today's digest.");

        // The header area: the title, and right under it (before any paper) the line saying the list is old.
        const title = digest.locator('.block-header').first();
        expect(await title.innerText()).toContain(`Trending papers · ${SEED_DAY}`);
        const underTitle = title.locator('xpath=following-sibling::*[1]');
        expect(await underTitle.getAttribute('class')).toContain('block-context');
        const note = (await underTitle.innerText()).replace(/\s+/g, ' ');
        expect(note).toContain(`This is an old list: the newest list I have is from ${SEED_DAY}`);
        expect(note).toMatch(/the Daily Papers of \d{4}-\d{2}-\d{2} are not in yet/);
        // A person sees it: inside the window, not clipped to nothing.
        await underTitle.scrollIntoViewIfNeeded();
        const noteBox = (await underTitle.boundingBox())!;
        expect(noteBox.height).toBeGreaterThan(10);
        expect(noteBox.x).toBeGreaterThanOrEqual(0);
        expect(noteBox.x + noteBox.width).toBeLessThanOrEqual(width + 1);

        await page.mouse.move(1, 1);
        const shot = join(OUT, `digest-old-${width}.png`);
        await page.screenshot({ path: shot });
        expect(statSync(shot).size).toBeGreaterThan(10_000);
      } finally {
        await page?.close();
        await runtime?.stop();
        rmSync(dir, { recursive: true, force: true });
      }
    }, 90_000);
  }
});
