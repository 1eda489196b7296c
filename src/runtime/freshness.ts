/** What the last refresh of Daily Papers came to. */
export type RefreshState =
  | { kind: 'not-refreshed' }
  | { kind: 'off' }
  | { kind: 'refreshed'; at: Date }
  | { kind: 'failed'; at: Date; error: string };

export interface FreshnessSource {
  papers: () => number;
  /** The latest Daily Papers day the store holds, if any. */
  latestDay: () => string | undefined;
  /** True when no stored (ingested) papers were there at start-up: the seed corpus alone. */
  seedOnly: () => boolean;
  state: () => RefreshState;
  now?: () => Date;
}

/**
 * One line on how current the papers are, e.g. "68 papers; latest Daily Papers day 2025-03-28
 * (refreshed 10 min ago)", for App Home.
 */
export function describeFreshness(source: FreshnessSource): string {
  const day = source.latestDay();
  const head = `${source.papers()} papers` + (day ? `; latest Daily Papers day ${day}` : '');
  return `${head} (${describeState(source.state(), source.seedOnly(), (source.now ?? (() => new Date()))())})`;
}

function describeState(state: RefreshState, seedOnly: boolean, now: Date): string {
  switch (state.kind) {
    case 'off':
      return seedOnly ? 'seed, refresh off' : 'refresh off';
    case 'not-refreshed':
      return seedOnly ? 'seed, not refreshed' : 'not refreshed since start';
    case 'refreshed':
      return `refreshed ${ago(state.at, now)}`;
    case 'failed':
      return `refresh failed ${ago(state.at, now)}: ${state.error}`;
  }
}

/** "just now", "10 min ago", "2 h ago", "3 days ago". */
export function ago(then: Date, now: Date): string {
  const minutes = Math.floor((now.getTime() - then.getTime()) / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.floor(hours / 24)} days ago`;
}
