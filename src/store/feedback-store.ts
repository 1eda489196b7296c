import type { Clue, Signals } from '../recommend/index.js';

/** One person's vote on one paper in one channel (a DM is the person's own channel). */
export interface VoteKey {
  teamId: string;
  channelId: string;
  userId: string;
  paperId: string;
}

/** A paper's votes in a channel, and the asking person's own. */
export interface VoteTally {
  up: number;
  down: number;
  mine: 1 | -1 | 0;
}

/** The channel's net votes (for what its digest must and must not hold) and what its model learns from. */
export interface ChannelVotes {
  /** Papers with more 👍 than 👎, and the other way round, whenever cast: a reset does not bring a 👎'd paper back. */
  liked: string[];
  disliked: string[];
  /** Net votes and clues since the channel's learned interests were last reset. */
  signals: Signals;
}

/** A reset of a channel's learned interests, as recorded (resets from before it was recorded have neither). */
export interface LearningReset {
  userId?: string;
  at?: Date;
}

/** The votes and weaker signals the recommender learns each channel's taste from. */
export interface FeedbackStore {
  /** Takes the person's vote on the paper back (none: nothing happens). */
  removeFeedback(key: VoteKey): Promise<void>;
  voteTally(key: VoteKey): Promise<VoteTally>;
  /** Notes a weaker signal: a paper summarized, expanded or opened; a search typed in the channel. */
  recordClue(teamId: string, channelId: string, userId: string, clue: Clue): Promise<void>;
  /**
   * Forgets what the channel's model learned (votes stay: the reading list and 👎 exclusion keep them);
   * `userId`, when given, is recorded as who did it, with the time.
   */
  resetLearning(teamId: string, channelId: string, userId?: string): Promise<void>;
  /** The channel's latest reset of its learned interests: who (when known) and when (when known). */
  lastLearningReset(teamId: string, channelId: string): Promise<LearningReset | undefined>;
  /** The channel's reading list: papers it 👍'd on balance, most recently liked first (teamId undefined: the channel in any workspace). */
  channelLibrary(teamId: string | undefined, channelId: string, limit: number): Promise<string[]>;
}

/** How many of a channel's latest clues the model reads: recent interest matters, and training stays cheap. */
export const CLUES_KEPT = 200;

/** Net votes per paper, split by sign. */
export function splitNet(rows: ReadonlyArray<{ paper_id: string; net: number }>): { liked: string[]; disliked: string[] } {
  return {
    liked: rows.filter((row) => row.net > 0).map((row) => row.paper_id),
    disliked: rows.filter((row) => row.net < 0).map((row) => row.paper_id),
  };
}

/** A stored clue row back into a Clue. */
export function toClue(kind: string, subject: string): Clue | undefined {
  if (kind === 'search') return { kind, query: subject };
  if (kind === 'summarize' || kind === 'more-like' || kind === 'click') return { kind, paperId: subject };
  return undefined;
}

export function clueSubject(clue: Clue): string {
  return clue.kind === 'search' ? clue.query : clue.paperId;
}
