import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { Turn } from '../answer/types.js';
import { type AppStore, EVENT_CLAIM_TTL_MS, type FeedbackRecord, type Store, type ThreadContext, type ThreadKey } from './store.js';
import { MIGRATIONS } from './migrations.js';
import { sqliteDigestStore } from './sqlite/digests.js';
import { sqliteFeedbackStore } from './sqlite/feedback.js';
import { sqliteEmbeddings } from './sqlite/embeddings.js';
import { sqliteInstallations } from './sqlite/installations.js';
import { sqlitePaperStore } from './sqlite/papers.js';

const PRUNE_EVERY_MS = 60 * 60 * 1000;

export interface SqliteStoreOptions {
  /** The clock, for tests of expiry. */
  now?: () => Date;
}

interface ThreadRow {
  team_id: string;
  channel_id: string;
  thread_ts: string;
  kind: string;
  query: string | null;
  paper_ids: string;
  created_at: string;
}

export type SqliteStore = AppStore;

/** Opens (creating the folder, file and schema as needed) the embedded store. */
export function openSqliteStore(file: string, options: SqliteStoreOptions = {}): SqliteStore {
  if (file !== ':memory:') {
    mkdirSync(dirname(file), { recursive: true });
    // Owner-only from the start (SQLite would create it 0644, readable by every user of the machine):
    // it holds searches, threads and installations. Its -wal and -shm files take the same mode.
    closeSync(openSync(file, 'a', 0o600));
  }
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  // In WAL mode, NORMAL syncs at checkpoints rather than at every commit: a crash of the app loses
  // nothing, a power cut at most the last commits; and the event loop does not wait on fsync.
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  migrate(db);
  const now = options.now ?? (() => new Date());
  return Object.assign(
    new SqliteConversationStore(db, now),
    sqlitePaperStore(db, now),
    sqliteDigestStore(db, now),
    sqliteInstallations(db, now),
    sqliteFeedbackStore(db, now),
    sqliteEmbeddings(db, now),
  );
}

function migrate(db: Database.Database): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > MIGRATIONS.length) {
    throw new Error(`database schema version ${current} is newer than this build knows (${MIGRATIONS.length})`);
  }
  db.transaction(() => {
    for (let version = current; version < MIGRATIONS.length; version++) db.exec(MIGRATIONS[version]!);
    db.pragma(`user_version = ${MIGRATIONS.length}`);
  })();
}

class SqliteConversationStore implements Store {
  private readonly statements;
  private lastPrune = 0;

  constructor(
    private readonly db: Database.Database,
    private readonly now: () => Date,
  ) {
    this.statements = {
      getCache: db.prepare<[string], { value: string }>('SELECT value FROM cache WHERE key = ?'),
      setCache: db.prepare(
        `INSERT INTO cache (key, value, updated_at) VALUES (?, ?, ?)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
      ),
      saveThread: db.prepare(
        `INSERT INTO threads (team_id, channel_id, thread_ts, kind, query, paper_ids, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (team_id, channel_id, thread_ts)
         DO UPDATE SET kind = excluded.kind, query = excluded.query, paper_ids = excluded.paper_ids`,
      ),
      getThread: db.prepare<[string, string, string], ThreadRow>(
        'SELECT * FROM threads WHERE team_id = ? AND channel_id = ? AND thread_ts = ?',
      ),
      appendTurn: db.prepare('INSERT INTO turns (team_id, channel_id, thread_ts, role, text, created_at) VALUES (?, ?, ?, ?, ?, ?)'),
      getTurns: db.prepare<[string, string, string], { role: Turn['role']; text: string }>(
        'SELECT role, text FROM turns WHERE team_id = ? AND channel_id = ? AND thread_ts = ? ORDER BY id',
      ),
      deleteVote: db.prepare('DELETE FROM feedback WHERE team_id = ? AND channel_id = ? AND user_id = ? AND paper_id = ?'),
      insertVote: db.prepare(
        `INSERT INTO feedback (team_id, channel_id, user_id, paper_id, value, created_at)
         VALUES (?, ?, ?, ?, ?, ?)`,
      ),
      likedPapers: db.prepare<[string, string, number], { paper_id: string }>(
        `SELECT paper_id FROM feedback WHERE team_id = ? AND user_id = ? AND value = 1
         GROUP BY paper_id ORDER BY MAX(id) DESC LIMIT ?`,
      ),
      recordSearch: db.prepare('INSERT INTO searches (team_id, user_id, query, created_at) VALUES (?, ?, ?, ?)'),
      recentSearches: db.prepare<[string, string, number], { query: string }>(
        `SELECT query FROM searches WHERE team_id = ? AND user_id = ?
         GROUP BY query ORDER BY MAX(id) DESC LIMIT ?`,
      ),
      claimEvent: db.prepare('INSERT INTO claimed_events (event_id, claimed_at) VALUES (?, ?) ON CONFLICT (event_id) DO NOTHING'),
      pruneEvents: db.prepare('DELETE FROM claimed_events WHERE claimed_at < ?'),
    };
  }

  async get(key: string): Promise<string | undefined> {
    return this.statements.getCache.get(key)?.value;
  }

  async set(key: string, value: string): Promise<void> {
    this.statements.setCache.run(key, value, this.timestamp());
  }

  async saveThread(context: Omit<ThreadContext, 'createdAt'>): Promise<void> {
    const { teamId, channelId, threadTs, kind, query, paperIds } = context;
    this.statements.saveThread.run(teamId, channelId, threadTs, kind, query ?? null, JSON.stringify(paperIds), this.timestamp());
  }

  async getThread(key: ThreadKey): Promise<ThreadContext | undefined> {
    const row = this.statements.getThread.get(key.teamId, key.channelId, key.threadTs);
    if (!row) return undefined;
    return {
      teamId: row.team_id,
      channelId: row.channel_id,
      threadTs: row.thread_ts,
      kind: row.kind as ThreadContext['kind'],
      ...(row.query === null ? {} : { query: row.query }),
      paperIds: JSON.parse(row.paper_ids) as string[],
      createdAt: row.created_at,
    };
  }

  async appendTurn(key: ThreadKey, turn: Turn): Promise<void> {
    this.statements.appendTurn.run(key.teamId, key.channelId, key.threadTs, turn.role, turn.text, this.timestamp());
  }

  async getTurns(key: ThreadKey): Promise<Turn[]> {
    return this.statements.getTurns.all(key.teamId, key.channelId, key.threadTs).map(({ role, text }) => ({ role, text }));
  }

  async recordFeedback(feedback: FeedbackRecord): Promise<void> {
    const { teamId, channelId, userId, paperId, value } = feedback;
    // Delete then insert, so that the latest vote also gets the latest id ("most recent first").
    this.db.transaction(() => {
      this.statements.deleteVote.run(teamId, channelId, userId, paperId);
      this.statements.insertVote.run(teamId, channelId, userId, paperId, value, this.timestamp());
    })();
  }

  async likedPapers(teamId: string, userId: string, limit: number): Promise<string[]> {
    return this.statements.likedPapers.all(teamId, userId, limit).map((row) => row.paper_id);
  }

  async recordSearch(teamId: string, userId: string, query: string): Promise<void> {
    this.statements.recordSearch.run(teamId, userId, query, this.timestamp());
  }

  async recentSearches(teamId: string, userId: string, limit: number): Promise<string[]> {
    return this.statements.recentSearches.all(teamId, userId, limit).map((row) => row.query);
  }

  async claimEvent(eventId: string): Promise<boolean> {
    this.pruneEventsHourly();
    return this.statements.claimEvent.run(eventId, this.timestamp()).changes === 1;
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  private pruneEventsHourly(): void {
    const now = this.now().getTime();
    if (now - this.lastPrune < PRUNE_EVERY_MS) return;
    this.lastPrune = now;
    this.statements.pruneEvents.run(new Date(now - EVENT_CLAIM_TTL_MS).toISOString());
  }

  private timestamp(): string {
    return this.now().toISOString();
  }
}
