import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Subscription } from '../../src/digest/subscription.js';
import { loadCorpus } from '../../src/papers/corpus.js';
import { seedTrending } from '../../src/papers/library.js';
import { DEFAULT_CORPUS, projectRoot } from '../../src/paths.js';
import { BOT_TOKEN, FakeSlack, TEAM_ID } from '../../src/fake-slack/web-api.js';
import { openSqliteStore } from '../../src/store/sqlite.js';

// The compiled CLI, exactly as `paperboy` runs it (npm test builds first).
const CLI = join(projectRoot, 'dist', 'src', 'cli.js');
/** The seed's Daily Papers day. */
const FRIDAY = '2025-03-28';
const SATURDAY = '2025-03-29';
/** The first weekday whose digests carry Friday's list: Sunday's list (empty) has closed by then. */
const MONDAY = '2025-03-31';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

let dir: string;
let db: string;
let slack: FakeSlack;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'paperboy-digest-cli-'));
  slack = await new FakeSlack().start();
});
afterAll(async () => {
  await slack.stop();
  rmSync(dir, { recursive: true, force: true });
});

let dbCount = 0;
beforeEach(async () => {
  db = join(dir, `digest-${++dbCount}.db`);
  const store = openSqliteStore(db);
  await seedTrending(store, loadCorpus(DEFAULT_CORPUS).papers);
  // The weekend's lists, fetched after each day ended, were empty (as the refresher records them).
  await store.markDayClosed(FRIDAY, 68);
  await store.markDayClosed(SATURDAY, 0);
  await store.markDayClosed('2025-03-30', 0);
  for (const saved of [
    subscription('C0001', 'diffusion'),
    subscription('C0002', ''),
    subscription('C0003', 'reasoning', { days: 'daily' }),
  ]) {
    await store.saveSubscription(saved);
  }
  await store.close();
  slack.calls.length = 0;
});

function subscription(channelId: string, topics: string, extra: Partial<Subscription> = {}): Subscription {
  return { teamId: TEAM_ID, channelId, time: '09:00', timeZone: 'Europe/Paris', days: 'weekdays', topics, createdBy: 'U0001', ...extra };
}

async function paperboy(args: string[], env: Record<string, string> = {}): Promise<Run> {
  // Hugging Face is unreachable: a day the store lacks fails to fetch at once.
  const cleanEnv = {
    PATH: process.env.PATH ?? '',
    HOME: dir,
    PAPERBOY_DB: db,
    SLACK_API_URL: slack.apiUrl,
    HF_ENDPOINT: 'http://127.0.0.1:9',
    ...env,
  };
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [CLI, 'digest', ...args], { env: cleanEnv });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const posts = () => slack.callsOf('chat.postMessage').filter((call) => call.response?.ok);

describe('paperboy digest --dry-run', () => {
  it('shows each channel due that day its papers, TL;DRs and why, and claims and posts nothing', async () => {
    const run = await paperboy(['--date', MONDAY, '--dry-run']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Dry run: nothing is claimed or posted.');
    for (const channel of ['C0001', 'C0002', 'C0003'])
      expect(run.stdout).toContain(`${TEAM_ID}/${channel}: digest for ${MONDAY} from the Daily Papers of ${FRIDAY}`);
    expect(run.stdout).toContain('(topics "diffusion")');
    expect(run.stdout).toMatch(/ {2}1\. .+\n {5}TL;DR \([^)]+\): \S.+\n {5}Why: #\d+ trending/);
    expect(run.stdout).toMatch(/Why: .*matches your topics: diffusion/);
    expect(slack.calls).toEqual([]);

    // Nothing was claimed: the channels' digests are still to post.
    const posted = await paperboy(['--date', MONDAY, '--post'], { SLACK_BOT_TOKEN: BOT_TOKEN });
    expect(posted.stdout.match(/: posted$/gm)).toHaveLength(3);
  });

  it('--channel shows one channel', async () => {
    const run = await paperboy(['--date', MONDAY, '--channel', 'C0002', '--dry-run']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`${TEAM_ID}/C0002: digest`);
    expect(run.stdout).not.toContain('C0001');
    expect(run.stdout).not.toContain('C0003');
  });

  it("--channel takes #name (looked up in Slack), #id or Slack's <#id|name> as well as an id", async () => {
    const byName = await paperboy(['--date', MONDAY, '--channel', '#channel-c0002', '--dry-run'], { SLACK_BOT_TOKEN: BOT_TOKEN });
    expect(byName.code).toBe(0);
    expect(byName.stdout).toContain(`${TEAM_ID}/C0002: digest`);
    expect(byName.stdout).not.toMatch(/C0001|C0003/);
    for (const form of ['#C0002', '<#C0002|research>']) {
      expect((await paperboy(['--date', MONDAY, '--channel', form, '--dry-run'])).stdout).toContain(`${TEAM_ID}/C0002: digest`);
    }
    const unknown = await paperboy(['--date', FRIDAY, '--channel', '#nowhere', '--dry-run'], { SLACK_BOT_TOKEN: BOT_TOKEN });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('No subscription of channel #nowhere is due');
    // Without Slack, a name cannot be looked up: say so and how to give the id instead.
    const offline = await paperboy(['--date', FRIDAY, '--channel', '#research', '--dry-run']);
    expect(offline.code).toBe(2);
    expect(offline.stderr).toContain('channel names are looked up in Slack, so set SLACK_BOT_TOKEN');
    expect((await paperboy(['--date', FRIDAY, '--channel', 'no spaces!', '--dry-run'])).stderr).toContain(
      '--channel takes a channel id (C0123ABC) or a name (#research)',
    );
  });

  it('skips weekdays-only subscriptions on a weekend', async () => {
    const run = await paperboy(['--date', SATURDAY, '--dry-run']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`${TEAM_ID}/C0003: digest for ${SATURDAY} from the Daily Papers of ${FRIDAY}`);
    expect(run.stdout).not.toContain('C0001');
    const none = await paperboy(['--date', SATURDAY, '--channel', 'C0001', '--dry-run']);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain(`No subscription of channel C0001 is due on ${SATURDAY} (a Saturday).`);
  });

  it('says when a closed day the digest needs is not in the store and cannot be fetched', async () => {
    // Friday 09:00 in Paris: Thursday's list has closed, and the store has only Friday's.
    const run = await paperboy(['--date', FRIDAY, '--channel', 'C0002', '--dry-run']);
    expect(run.stdout).toContain(
      `${TEAM_ID}/C0002: nothing to post for ${FRIDAY} yet: the Daily Papers of 2025-03-27 are not in the store and could not be fetched.`,
    );
  });

  it('says when the store has no Daily Papers yet', async () => {
    const run = await paperboy(['--date', '2025-01-01', '--dry-run']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('No Daily Papers on or before 2025-01-01 in the store');
  });
});

describe('paperboy digest --post', () => {
  it('posts to every channel subscribed for the day once, and a second run posts nothing', async () => {
    const run = await paperboy(['--date', MONDAY, '--post'], { SLACK_BOT_TOKEN: BOT_TOKEN });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout.trim().split('\n').sort()).toEqual([
      `${TEAM_ID}/C0001: posted`,
      `${TEAM_ID}/C0002: posted`,
      `${TEAM_ID}/C0003: posted`,
    ]);
    expect(
      posts()
        .map((call) => call.args.channel)
        .sort(),
    ).toEqual(['C0001', 'C0002', 'C0003']);
    expect(posts().every((call) => call.token === BOT_TOKEN)).toBe(true);

    const again = await paperboy(['--date', MONDAY, '--post'], { SLACK_BOT_TOKEN: BOT_TOKEN });
    expect(again.code).toBe(0);
    expect(again.stdout).toContain(`${TEAM_ID}/C0001: already posted`);
    expect(posts()).toHaveLength(3);
  });

  it('pauses a channel Slack says the bot cannot post to, posts the others, and exits 1', async () => {
    const strict = await new FakeSlack().start();
    strict.excludeBotFrom('C0002');
    try {
      const run = await paperboy(['--date', MONDAY, '--post'], { SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_API_URL: strict.apiUrl });
      expect(run.code).toBe(1);
      expect(run.stdout).toContain(`${TEAM_ID}/C0002: paused: Slack says the bot cannot post in this channel (subscribe again to resume)`);
      expect(run.stdout).toContain(`${TEAM_ID}/C0001: posted`);
      expect(run.stderr).toMatch(/subscription paused .*C0002.*not_in_channel/);
      // Paused: the next run does not try it again.
      const again = await paperboy(['--date', MONDAY, '--post'], { SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_API_URL: strict.apiUrl });
      expect(again.stdout).toContain(`${TEAM_ID}/C0002: paused`);
      expect(strict.callsOf('chat.postMessage').filter((call) => call.args.channel === 'C0002')).toHaveLength(1);
    } finally {
      await strict.stop();
    }
  });

  it('with OAuth, posts to each workspace with the token its installation stored', async () => {
    const otherToken = slack.addWorkspace('T0002');
    const store = openSqliteStore(db);
    await store.saveInstallation(
      { teamId: TEAM_ID },
      JSON.stringify({ team: { id: TEAM_ID }, bot: { token: BOT_TOKEN }, isEnterpriseInstall: false }),
    );
    await store.saveInstallation(
      { teamId: 'T0002' },
      JSON.stringify({ team: { id: 'T0002' }, bot: { token: otherToken }, isEnterpriseInstall: false }),
    );
    await store.saveSubscription({ ...subscription('C0201', ''), teamId: 'T0002' });
    await store.saveSubscription({ ...subscription('C0301', ''), teamId: 'T0003' });
    await store.close();

    const run = await paperboy(['--date', MONDAY, '--post'], {
      SLACK_CLIENT_ID: '1111.2222',
      PAPERBOY_TOKEN_KEY: 'MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=',
    });
    expect(run.stdout).toContain('T0002/C0201: posted');
    expect(run.stdout).toContain(`${TEAM_ID}/C0001: posted`);
    expect(run.stdout).toContain('T0003/C0301: failed; the next run retries');
    expect(run.stderr).toContain('Paperboy is not installed in workspace T0003');
    expect(run.code).toBe(1);
    const tokenOf = (channel: string) => posts().find((call) => call.args.channel === channel)?.token;
    expect(tokenOf('C0201')).toBe(otherToken);
    expect(tokenOf('C0001')).toBe(BOT_TOKEN);
  });

  it('needs a token, or OAuth installations, to post', async () => {
    const run = await paperboy(['--date', MONDAY, '--post']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('digest --post: missing SLACK_BOT_TOKEN');
    expect(slack.calls).toEqual([]);
  });

  it('takes --dry-run or --post, not both nor neither', async () => {
    expect((await paperboy(['--date', MONDAY])).stderr).toContain('give --dry-run');
    expect((await paperboy(['--date', MONDAY, '--dry-run', '--post'])).code).toBe(2);
    expect((await paperboy(['--date', '2025-13-01', '--dry-run'])).stderr).toContain('--date takes a date');
  });
});
