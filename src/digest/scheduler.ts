import cron from 'node-cron';
import { mapPool } from '../lib/map-pool.js';
import type { DueKey, DueWindow } from './digest-store.js';
import { deliverDigest, type DeliveryOutcome, type DigestDeps } from './deliver.js';
import { GRACE_MINUTES, localMoment } from './schedule.js';
import { kindOf, type Subscription } from './subscription.js';

export interface TickReport {
  due: number;
  outcomes: Partial<Record<DeliveryOutcome, number>>;
}

/** Subscriptions read per round trip once the due ones are known: a short synchronous read on SQLite. */
const DUE_PAGE = 2_000;

export interface DueDigest {
  subscription: Subscription;
  date: string;
}

/**
 * The digests due at `now` and not yet posted nor held by a live claim, whatever the number of
 * subscriptions in three database round trips and one more per 2,000 due: the zones subscribers
 * use, then, for each zone's window of times, the channels in it with no digest for their date,
 * then their subscriptions. A channel served today costs the database an index probe and this
 * process nothing.
 */
export async function dueDigests(now: Date, deps: Pick<DigestDeps, 'store'>): Promise<DueDigest[]> {
  const windows = windowsAt(now, await deps.store.subscriptionZones(), (late) => ({ from: Math.max(0, late - GRACE_MINUTES), to: late }));
  if (!windows.length) return [];
  // Each read in an event-loop turn of its own: none blocks the loop for long.
  await yieldToEventLoop();
  const keys = await deps.store.subscriptionsDue(windows, now);
  const dateOf = new Map(keys.map((key) => [`${key.teamId}/${key.channelId}/${key.kind}`, key.date]));
  const due: DueDigest[] = [];
  for (let start = 0; start < keys.length; start += DUE_PAGE) {
    await yieldToEventLoop();
    for (const subscription of await deps.store.subscriptionsOf(keys.slice(start, start + DUE_PAGE))) {
      const date = dateOf.get(`${subscription.teamId}/${subscription.channelId}/${kindOf(subscription)}`);
      if (date) due.push({ subscription, date });
    }
  }
  await yieldToEventLoop();
  return interleaveWorkspaces(due);
}

/**
 * Each zone's window of subscription times, as minutes of the local day from `late` (the local time
 * now, in minutes); zones whose window would start before midnight are cut there, as the schedule is.
 */
function windowsAt(now: Date, zones: string[], span: (late: number) => { from: number; to: number } | undefined): DueWindow[] {
  const windows: DueWindow[] = [];
  for (const timeZone of zones) {
    let local: ReturnType<typeof localMoment>;
    try {
      local = localMoment(now, timeZone);
    } catch {
      continue; // A zone this runtime no longer knows: its subscriptions cannot be scheduled.
    }
    const range = span(minutesOf(local.time));
    if (!range) continue;
    windows.push({
      timeZone,
      from: hhmm(range.from),
      to: hhmm(range.to),
      date: local.date,
      weekend: local.weekday === 0 || local.weekday === 6,
    });
  }
  return windows;
}

/**
 * The digests whose window ended a minute ago with nothing posted (a closed day never came, Slack
 * kept failing, every process was busy or down): one query, so that each is logged at warn.
 */
export async function missedDigests(now: Date, deps: Pick<DigestDeps, 'store'>): Promise<DueKey[]> {
  const windows = windowsAt(now, await deps.store.subscriptionZones(), (late) => {
    const time = late - GRACE_MINUTES - 1;
    return time < 0 ? undefined : { from: time, to: time };
  });
  return windows.length ? deps.store.subscriptionsDue(windows, now) : [];
}

/** Lets timers and I/O run: SQLite reads are synchronous, and a chain of awaits alone never yields. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

let lastTurn: Promise<void> = Promise.resolve();
/**
 * Resolves in a turn of the event loop of its own, after the turns asked for before it: deliveries
 * started together then compose one per turn (a few milliseconds each), not all in one long block.
 */
function nextTurn(): Promise<void> {
  const turn = lastTurn.then(yieldToEventLoop);
  lastTurn = turn;
  return turn;
}

/**
 * The deps for one tick: what every channel's digest reads alike (the day's lists, which days are
 * held, topic searches, TL;DRs) is read once per tick, not once per channel.
 */
export function sharedForTick(deps: DigestDeps): DigestDeps {
  const memo = new Map<string, Promise<unknown>>();
  const once = <T>(key: string, read: () => Promise<T>): Promise<T> => {
    let value = memo.get(key) as Promise<T> | undefined;
    if (!value) {
      value = read();
      value.catch(() => memo.delete(key));
      memo.set(key, value);
    }
    return value;
  };
  const store: DigestDeps['store'] = Object.create(deps.store);
  store.trendingOn = (date) => once(`trendingOn ${date}`, () => deps.store.trendingOn(date));
  store.daysHeld = (from, to) => once(`daysHeld ${from} ${to}`, () => deps.store.daysHeld(from, to));
  store.latestTrendingDate = (date) => once(`latest ${date}`, () => deps.store.latestTrendingDate(date));
  const index: DigestDeps['index'] = Object.create(deps.index);
  const searches = new Map<string, ReturnType<DigestDeps['index']['search']>>();
  index.search = (query, options) => {
    const key = JSON.stringify([query, options]);
    const known = searches.get(key);
    if (known) return known;
    const hits = deps.index.search(query, options);
    searches.set(key, hits);
    return hits;
  };
  const answerer: DigestDeps['answerer'] = Object.create(deps.answerer);
  answerer.tldr = (paper, signal) => once(`tldr ${paper.id}`, () => deps.answerer.tldr(paper, signal));
  return {
    ...deps,
    store,
    index,
    answerer,
    // A fetched day changes what the store holds: read it afresh after.
    ...(deps.fetchDays ? { fetchDays: (dates: string[]) => deps.fetchDays!(dates).finally(() => memo.clear()) } : {}),
  };
}

/** Delivers every digest due at `now`; the claims make it safe for any number of processes to run it. */
export async function runDueDigests(now: Date, deps: DigestDeps, concurrency = 16): Promise<TickReport> {
  const due = await dueDigests(now, deps);
  const outcomes: TickReport['outcomes'] = {};
  const shared = sharedForTick(deps);
  await mapPool(due, concurrency, async ({ subscription, date }) => {
    await nextTurn();
    const outcome = await deliverDigest(subscription, date, shared);
    outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
  });
  return { due: due.length, outcomes };
}

/**
 * Slack's rate limits are per workspace: taking one workspace's channels after another's would make
 * them wait in turn, so the due digests go round the workspaces instead. Linear in the number due.
 */
export function interleaveWorkspaces<T extends { subscription: { teamId: string } }>(due: T[]): T[] {
  const byTeam = new Map<string, T[]>();
  for (const item of due) {
    const queue = byTeam.get(item.subscription.teamId);
    if (queue) queue.push(item);
    else byTeam.set(item.subscription.teamId, [item]);
  }
  let queues = [...byTeam.values()];
  const out: T[] = [];
  for (let i = 0; queues.length; i++) {
    for (const queue of queues) out.push(queue[i]!);
    queues = queues.filter((queue) => queue.length > i + 1);
  }
  return out;
}

export interface DigestTicker {
  /** Picks what is due at `now` and hands it to the pool; resolves once picked, not once delivered. */
  tick(now: Date): Promise<number>;
  /** Deliveries running or waiting in this process. */
  pending(): number;
}

/**
 * Each tick only picks what is due and hands it to this process's pool of deliveries: a slow or
 * hung channel (every Slack call has a timeout) holds one slot of the pool, never the next tick nor
 * another channel's digest. A digest already in this process's pool is not picked again.
 */
export function createDigestTicker(deps: DigestDeps, concurrency = 16): DigestTicker {
  const inFlight = new Set<string>();
  const queue: DueDigest[] = [];
  let running = 0;
  const keyOf = ({ subscription, date }: DueDigest) => `${subscription.teamId}/${subscription.channelId}/${date}`;
  let shared = deps;
  const pump = () => {
    while (running < concurrency && queue.length) {
      const due = queue.shift()!;
      running++;
      nextTurn()
        .then(() => deliverDigest(due.subscription, due.date, shared))
        .catch((error: Error) =>
          deps.logger?.warn('digest delivery failed', {
            channel: `${due.subscription.teamId}/${due.subscription.channelId}`,
            date: due.date,
            error: error.message,
          }),
        )
        .finally(() => {
          running--;
          inFlight.delete(keyOf(due));
          pump();
        });
    }
  };
  return {
    async tick(now) {
      for (const missed of await missedDigests(now, deps)) {
        deps.logger?.warn('digest skipped: its window ended with nothing posted', {
          channel: `${missed.teamId}/${missed.channelId}`,
          date: missed.date,
        });
      }
      const due = (await dueDigests(now, deps)).filter((item) => !inFlight.has(keyOf(item)));
      shared = sharedForTick(deps);
      for (const item of due) inFlight.add(keyOf(item));
      if (due.length) deps.logger?.info('digests due', { due: due.length, alreadyPending: running + queue.length });
      queue.push(...due);
      pump();
      return due.length;
    },
    pending: () => running + queue.length,
  };
}

/** Checks every minute for digests due, in each subscriber's own time zone. */
export function startDigestScheduler(deps: DigestDeps, clock: () => Date = () => new Date(), concurrency = 16): { stop: () => void } {
  const ticker = createDigestTicker(deps, concurrency);
  const task = cron.schedule(
    '* * * * *',
    async () => {
      try {
        await ticker.tick(clock());
      } catch (error) {
        deps.logger?.warn('digest tick failed', { error: (error as Error).message });
      }
    },
    { name: 'paperboy-digests', noOverlap: true },
  );
  return { stop: () => void task.stop() };
}

function minutesOf(time: string): number {
  const [h, m] = time.split(':').map(Number);
  return h! * 60 + m!;
}

function hhmm(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}
