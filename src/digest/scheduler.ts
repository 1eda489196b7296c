import cron from 'node-cron';
import { mapPool } from '../lib/map-pool.js';
import { deliverDigest, type DeliveryOutcome, type DigestDeps } from './deliver.js';
import { dueDigestDate } from './schedule.js';

export interface TickReport {
  due: number;
  outcomes: Partial<Record<DeliveryOutcome, number>>;
}

/** Delivers every digest due at `now`; the claims make it safe for any number of processes to run it. */
export async function runDueDigests(now: Date, deps: DigestDeps, concurrency = 16): Promise<TickReport> {
  const subscriptions = await deps.store.listSubscriptions();
  const due = interleaveWorkspaces(
    subscriptions.flatMap((subscription) => {
      const date = dueDigestDate(subscription, now);
      return date ? [{ subscription, date }] : [];
    }),
  );
  const outcomes: TickReport['outcomes'] = {};
  await mapPool(due, concurrency, async ({ subscription, date }) => {
    const outcome = await deliverDigest(subscription, date, deps);
    outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
  });
  return { due: due.length, outcomes };
}

/**
 * Slack's rate limits are per workspace: taking one workspace's channels after another's would make
 * them wait in turn, so the due digests go round the workspaces instead.
 */
export function interleaveWorkspaces<T extends { subscription: { teamId: string } }>(due: T[]): T[] {
  const byTeam = new Map<string, T[]>();
  for (const item of due) byTeam.set(item.subscription.teamId, [...(byTeam.get(item.subscription.teamId) ?? []), item]);
  const queues = [...byTeam.values()];
  const out: T[] = [];
  for (let i = 0; out.length < due.length; i++) for (const queue of queues) if (i < queue.length) out.push(queue[i]!);
  return out;
}

/** Checks every minute for digests due, in each subscriber's own time zone. */
export function startDigestScheduler(deps: DigestDeps, clock: () => Date = () => new Date()): { stop: () => void } {
  const task = cron.schedule(
    '* * * * *',
    async () => {
      try {
        const report = await runDueDigests(clock(), deps);
        if (report.due) deps.log?.(`digests: ${report.due} due, ${JSON.stringify(report.outcomes)}`);
      } catch (error) {
        deps.log?.(`digest tick failed: ${(error as Error).message}`);
      }
    },
    { name: 'paperboy-digests', noOverlap: true },
  );
  return { stop: () => void task.stop() };
}
