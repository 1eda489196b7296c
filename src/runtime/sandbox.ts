import { deliverDigest, type DeliveryOutcome } from '../digest/deliver.js';
import { localMoment } from '../digest/schedule.js';
import { TEAM_ID } from '../sandbox/fake-slack.js';
import { startSandbox } from '../sandbox/sandbox.js';
import { singleWorkspaceClient } from '../slack/clients.js';
import { DEFAULT_TIMING } from '../slack/deps.js';
import { openCore, startSchedules, type Core, type RuntimeOptions, type Schedules } from './core.js';

/** No Slack credentials of any kind: the bot runs in the local sandbox instead. */
export function wantsSandbox(env: NodeJS.ProcessEnv): boolean {
  return !['SLACK_BOT_TOKEN', 'SLACK_APP_TOKEN', 'SLACK_SIGNING_SECRET', 'SLACK_CLIENT_ID'].some((name) => env[name]?.trim());
}

export interface SandboxRuntime extends Core {
  /** The page, e.g. http://localhost:3000 */
  url: string;
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
    port: Number(options.env.PORT || 3000),
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
    stop: () =>
      (stopped ??= (async () => {
        schedules?.stop();
        await sandbox.stop();
        await services.store.close();
      })()),
  };
}

const SAID: Record<DeliveryOutcome, string> = {
  posted: "Posted today's digest.",
  adopted: "Today's digest was already in the channel; it is recorded now.",
  'nothing-new': "Nothing new on this channel's topics today: every trending paper on them came in the last 30 days.",
  'already-posted': "Today's digest is already in the channel: one a day.",
  'held-elsewhere': "Today's digest is being posted right now.",
  failed: "Today's digest could not be posted; the bot's log says why. It will be tried again.",
  'waiting-for-list': "Yesterday's Daily Papers list is not in the store and Hugging Face did not answer: nothing posted; the scheduler tries again.",
  paused: "This channel's digest is paused: Slack said the bot cannot post here. Subscribe again to resume it.",
};
