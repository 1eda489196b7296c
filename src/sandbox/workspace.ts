/** A message as the sandbox page shows it: the bot's (as the stand-in stores it), a person's, or Slackbot's. */
export interface ShownMessage {
  ts: string;
  channel: string;
  /** Set on replies: the ts of the thread's first message. */
  threadTs?: string;
  author: 'user' | 'bot' | 'slackbot';
  /** mrkdwn: shown when there are no blocks. */
  text: string;
  blocks?: unknown[];
  /** Only the person who caused it sees it. */
  ephemeral?: boolean;
  /** Milliseconds since the epoch when it was first shown (the stand-in's ts are not wall-clock times). */
  postedAt: number;
}

export type WorkspaceChange = { kind: 'message'; message: ShownMessage } | { kind: 'home'; view: unknown };

export interface Snapshot {
  messages: ShownMessage[];
  home: unknown;
}

/**
 * What the sandbox's one person sees of the workspace: channel messages as they are posted and
 * edited, and the bot's Home tab. Listeners hear of every change (the page's event stream).
 */
export class Workspace {
  private readonly messages = new Map<string, ShownMessage>();
  private home: unknown;
  private readonly listeners = new Set<(change: WorkspaceChange) => void>();
  private lastTs = 0;

  /**
   * A ts for a message the stand-in did not post: wall-clock microseconds, never repeated. They
   * take the second half of each millisecond, as the stand-in hands out its own from the first.
   */
  nextTs(): string {
    this.lastTs = Math.max(this.lastTs + 1, Date.now() * 1000 + 500);
    const digits = String(this.lastTs);
    return `${digits.slice(0, 10)}.${digits.slice(10)}`;
  }

  /** Adds a message, or replaces the one with its ts in place (an edit). */
  put(message: Omit<ShownMessage, 'postedAt'>): void {
    const postedAt = this.messages.get(message.ts)?.postedAt ?? Date.now();
    const shown = { ...message, postedAt };
    this.messages.set(message.ts, shown);
    this.emit({ kind: 'message', message: shown });
  }

  /** Messages kept from an earlier run, shown as they were (no listener hears of them). */
  restore(messages: readonly ShownMessage[]): void {
    for (const message of messages) this.messages.set(message.ts, message);
  }

  message(ts: string): ShownMessage | undefined {
    return this.messages.get(ts);
  }

  setHome(view: unknown): void {
    this.home = view;
    this.emit({ kind: 'home', view });
  }

  snapshot(): Snapshot {
    return { messages: [...this.messages.values()], home: this.home };
  }

  /** Returns the function that unsubscribes. */
  subscribe(listener: (change: WorkspaceChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(change: WorkspaceChange): void {
    for (const listener of this.listeners) listener(change);
  }
}
