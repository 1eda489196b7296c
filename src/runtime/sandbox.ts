import type { Settings } from '../config.js';
import { deliverDigest, type DeliveryOutcome } from '../digest/deliver.js';
import { localMoment } from '../digest/schedule.js';
import { TEAM_ID } from '../fake-slack/web-api.js';
import { startSandbox } from '../sandbox/sandbox.js';
import { singleWorkspaceClient } from '../slack/clients.js';
import { DEFAULT_TIMING } from '../slack/deps.js';
import { DEFAULT_DB } from '../store/open.js';
import { DEFAULT_CORPUS, projectRoot } from '../paths.js';
import { basename, join } from 'node:path';
import { openCore, startSchedules, type Core, type RuntimeOptions, type Schedules } from './core.js';

/** No Slack credentials of any kind: the bot runs in the local sandbox instead. */
export function wantsSandbox(settings: Settings): boolean {
  return !(settings.SLACK_BOT_TOKEN || settings.SLACK_APP_TOKEN || settings.SLACK_SIGNING_SECRET || settings.SLACK_CLIENT_ID);
}

export interface SandboxRuntime extends Core {
  /** The page, e.g. http://localhost:3000 */
  url: string;
  /** The start-up refresh (undefined when refresh is off). */
  firstRefresh?: Promise<void>;
  stop(): Promise<void>;
}

/**
 * The whole bot against the in-process Slack stand-in, with its page on PORT (3000): the same
 * services, refresh and digest scheduler as in Slack, and a button that posts today's digest now.
 */
export async function startSandboxRuntime(options: RuntimeOptions): Promise<SandboxRuntime> {
  const core = await openCore(options);
  const { services, freshness } = core;
  const { logger } = options;
  const clock = options.clock ?? (() => new Date());
  // Set once the sandbox's client exists; "post today's digest now" delivers with the scheduler's deps.
  let schedules: Schedules | undefined;
  const sandbox = await startSandbox({
    deps: { ...services, logger, timing: DEFAULT_TIMING, freshness },
    port: options.settings.PORT,
    messagesFile: sandboxMessagesFile(options.settings),
    about: {
      corpus: describeCorpus(services.index.size, services.library),
      answers: core.llm
        ? `written by ${core.llm.model} (an LLM you configured)`
        : 'extractive summaries from the abstracts (no LLM configured: set OPENAI_API_KEY or OPENAI_BASE_URL)',
    },
    ...(options.host ? { host: options.host } : {}),
    postDigestNow: async (channelId) => {
      if (!schedules) return 'Still starting up: try again in a moment.';
      const subscription = await services.store.getSubscription(TEAM_ID, channelId);
      if (!subscription) return 'This channel has no digest yet: subscribe first with /papers subscribe.';
      const date = localMoment(clock(), subscription.timeZone).date;
      // The page's button stands in for the scheduler, and may post an older list (saying so).
      return SAID[await deliverDigest(subscription, date, { ...schedules.digest, allowOld: true })];
    },
  }).catch(async (error: unknown) => {
    await services.store.close();
    throw error;
  });
  schedules = startSchedules(core, singleWorkspaceClient(sandbox.client), options);
  let stopped: Promise<void> | undefined;
  return {
    ...core,
    url: sandbox.url,
    ...(schedules.firstRefresh ? { firstRefresh: schedules.firstRefresh } : {}),
    stop: () =>
      (stopped ??= (async () => {
        schedules?.stop();
        await sandbox.stop();
        await services.store.close();
      })()),
  };
}

function describeCorpus(papers: number, library: { file: string; fromStore: number }): string {
  const ingested = library.fromStore;
  if (library.file !== DEFAULT_CORPUS) return `${papers} papers from ${basename(library.file)} (PAPERBOY_CORPUS)`;
  if (ingested === 0) return `${papers} papers: the seed page of Hugging Face Daily Papers (2025-03-28); run npx paperboy ingest for more`;
  return `${papers} papers: the seed page (2025-03-28) and ${ingested} ingested from Hugging Face Daily Papers`;
}

/** Beside the SQLite file (data/paperboy.db -> data/paperboy.sandbox.json): the channel goes with the store it matches. */
export function sandboxMessagesFile(settings: Pick<Settings, 'DATABASE_URL' | 'PAPERBOY_DB'>): string {
  if (settings.DATABASE_URL) return join(projectRoot, 'data', 'sandbox.json');
  return (settings.PAPERBOY_DB || DEFAULT_DB).replace(/(\.db)?$/, '.sandbox.json');
}

const SAID: Record<DeliveryOutcome, string> = {
  posted: "Posted today's digest.",
  adopted: "Today's digest was already in the channel; it is recorded now.",
  'nothing-new': "Nothing new on this channel's topics today: every trending paper on them came in the last 30 days.",
  'already-posted': "Today's digest is already in the channel: one a day.",
  'held-elsewhere': "Today's digest is being posted right now.",
  failed: "Today's digest could not be posted; the bot's log says why. It will be tried again.",
  'waiting-for-list':
    "Yesterday's Daily Papers list is not in the store and Hugging Face did not answer: nothing posted; the scheduler tries again.",
  paused: "This channel's digest is paused: Slack said the bot cannot post here. Subscribe again to resume it.",
};
