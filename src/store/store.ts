import type { Cache, Turn } from '../answer/types.js';
import type { DigestStore } from '../digest/digest-store.js';
import type { FeedbackStore } from './feedback-store.js';
import type { PaperStore } from '../papers/paper-store.js';
import type { EmbeddingStore } from '../search/embeddings.js';
import type { SharedIndexStore } from '../search/shared-snapshot.js';
import type { InstallationRecords } from '../slack/installation-store.js';

/** Claimed event ids are kept this long: Slack stops retrying an event well within it. */
export const EVENT_CLAIM_TTL_MS = 24 * 60 * 60 * 1000;

/** Where a conversation with the bot lives in Slack. */
export interface ThreadKey {
  teamId: string;
  channelId: string;
  /** The ts of the bot's top-level message that the thread hangs from. */
  threadTs: string;
}

/** What the bot posted at the head of a thread, stored when it posts (never parsed back from text). */
export interface ThreadContext extends ThreadKey {
  kind: 'answer' | 'digest';
  /** The topic a /papers answer was for; absent for a digest. */
  query?: string;
  /** The papers the thread is about, in the numbered order the message showed them. */
  paperIds: string[];
  createdAt: string;
}

export interface FeedbackRecord {
  teamId: string;
  channelId: string;
  userId: string;
  paperId: string;
  value: 1 | -1;
}

/**
 * Everything the bot remembers. One interface; SQLite (embedded default) and Postgres behind it.
 * All methods are async so that a networked database fits behind the same calls.
 */
export interface Store extends Cache {
  saveThread(context: Omit<ThreadContext, 'createdAt'>): Promise<void>;
  getThread(key: ThreadKey): Promise<ThreadContext | undefined>;
  appendTurn(key: ThreadKey, turn: Turn): Promise<void>;
  getTurns(key: ThreadKey): Promise<Turn[]>;

  /** One vote per user and paper in a channel; a new vote replaces the old. */
  recordFeedback(feedback: FeedbackRecord): Promise<void>;
  /** Paper ids this user liked, most recent first. */
  likedPapers(teamId: string, userId: string, limit: number): Promise<string[]>;

  recordSearch(teamId: string, userId: string, query: string): Promise<void>;
  /** Distinct queries, most recent first. */
  recentSearches(teamId: string, userId: string, limit: number): Promise<string[]>;

  /** True the first time an event id is seen: the guard against Events API retries. */
  claimEvent(eventId: string): Promise<boolean>;

  close(): Promise<void>;
}

/** Everything the app keeps, whichever database holds it: each part declared by the domain that uses it. */
export interface AppStore extends Store, PaperStore, DigestStore, InstallationRecords, FeedbackStore, EmbeddingStore {
  /** Postgres only: the search index's snapshot, shared by the replicas (SQLite keeps a file beside the database). */
  sharedIndex?: SharedIndexStore;
}
