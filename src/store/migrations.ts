/**
 * The SQLite schema, one step per version (tracked in SQLite's user_version). The Postgres store has
 * the same tables and columns in its own dialect (src/store/postgres/migrations.ts), and one more: the
 * search index's snapshot shared by replicas, which SQLite keeps as a file beside the database.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE cache (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE TABLE threads (
    team_id TEXT NOT NULL,
    channel_id TEXT NOT NULL,
    thread_ts TEXT NOT NULL,
    kind TEXT NOT NULL,
    query TEXT,
    paper_ids TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (team_id, channel_id, thread_ts)
  );
  CREATE TABLE turns (
    id INTEGER PRIMARY KEY,
    team_id TEXT NOT NULL,
    channel_id TEXT NOT NULL,
    thread_ts TEXT NOT NULL,
    role TEXT NOT NULL,
    text TEXT NOT NULL,
    created_at TEXT NOT NULL
  );
  CREATE INDEX turns_by_thread ON turns (team_id, channel_id, thread_ts, id);
  CREATE TABLE feedback (
    id INTEGER PRIMARY KEY,
    team_id TEXT NOT NULL,
    channel_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    paper_id TEXT NOT NULL,
    value INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (team_id, channel_id, user_id, paper_id)
  );
  CREATE INDEX feedback_by_user ON feedback (team_id, user_id, id);
  CREATE TABLE searches (
    id INTEGER PRIMARY KEY,
    team_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    query TEXT NOT NULL,
    created_at TEXT NOT NULL
  );
  CREATE INDEX searches_by_user ON searches (team_id, user_id, id);
  CREATE TABLE claimed_events (
    event_id TEXT PRIMARY KEY,
    claimed_at TEXT NOT NULL
  );
  CREATE INDEX claimed_events_by_time ON claimed_events (claimed_at);
  `,
  `
  CREATE TABLE papers (
    id TEXT PRIMARY KEY,
    paper TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE TABLE trending (
    date TEXT NOT NULL,
    rank INTEGER NOT NULL CHECK (rank > 0),
    paper_id TEXT NOT NULL REFERENCES papers (id) ON DELETE CASCADE,
    PRIMARY KEY (date, paper_id)
  );
  CREATE INDEX trending_by_paper ON trending (paper_id, date);
  CREATE TABLE subscriptions (
    team_id TEXT NOT NULL,
    channel_id TEXT NOT NULL,
    time TEXT NOT NULL,
    time_zone TEXT NOT NULL,
    days TEXT NOT NULL CHECK (days IN ('weekdays', 'daily')),
    topics TEXT NOT NULL,
    created_by TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (team_id, channel_id)
  );
  CREATE TABLE digests (
    team_id TEXT NOT NULL,
    channel_id TEXT NOT NULL,
    date TEXT NOT NULL,
    owner TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('claimed', 'posted')),
    lease_until TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    ts TEXT,
    PRIMARY KEY (team_id, channel_id, date)
  );
  CREATE TABLE posted_papers (
    team_id TEXT NOT NULL,
    channel_id TEXT NOT NULL,
    date TEXT NOT NULL,
    paper_id TEXT NOT NULL,
    PRIMARY KEY (team_id, channel_id, date, paper_id)
  );
  CREATE TABLE installations (
    enterprise_id TEXT NOT NULL,
    team_id TEXT NOT NULL,
    installation TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (enterprise_id, team_id),
    CHECK (enterprise_id <> '' OR team_id <> '')
  );
  `,
  `
  CREATE INDEX feedback_by_channel ON feedback (team_id, channel_id, paper_id);
  CREATE TABLE clues (
    id INTEGER PRIMARY KEY,
    team_id TEXT NOT NULL,
    channel_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('summarize', 'more-like', 'click', 'search')),
    subject TEXT NOT NULL,
    created_at TEXT NOT NULL
  );
  CREATE INDEX clues_by_channel ON clues (team_id, channel_id, id);
  CREATE TABLE learning_resets (
    team_id TEXT NOT NULL,
    channel_id TEXT NOT NULL,
    -- The model learns only from votes and clues with larger ids (a vote cast again takes a new id).
    votes_after INTEGER NOT NULL,
    clues_after INTEGER NOT NULL,
    PRIMARY KEY (team_id, channel_id)
  );
  `,
  // Digest claims (src/digest/DESIGN.md): a sticky "maybe posted" mark, the first claim's time to
  // bound recovery, the newest Daily Papers day each digest covered; paused subscriptions; days final.
  `
  ALTER TABLE digests ADD COLUMN maybe_posted INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE digests ADD COLUMN first_claimed_at TEXT;
  ALTER TABLE digests ADD COLUMN through_day TEXT;
  CREATE INDEX digests_by_channel ON digests (team_id, channel_id, through_day);
  ALTER TABLE subscriptions ADD COLUMN paused TEXT;
  CREATE INDEX subscriptions_by_schedule ON subscriptions (time_zone, time);
  CREATE TABLE closed_days (
    date TEXT PRIMARY KEY,
    papers INTEGER NOT NULL,
    fetched_at TEXT NOT NULL
  );
  `,
  // Paper vectors for semantic retrieval (src/search/embeddings.ts): one per model and paper.
  `
  CREATE TABLE paper_embeddings (
    model TEXT NOT NULL,
    paper_id TEXT NOT NULL,
    text_hash TEXT NOT NULL,
    vector BLOB NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (model, paper_id)
  );
  `,
  // Sources (src/ingest/source.ts): the days each source gave whole after they ended (a backfill
  // resumes past them), and how far a bulk import has read each file.
  `
  CREATE TABLE source_days (
    source TEXT NOT NULL,
    date TEXT NOT NULL,
    papers INTEGER NOT NULL,
    fetched_at TEXT NOT NULL,
    PRIMARY KEY (source, date)
  );
  CREATE TABLE import_checkpoints (
    file_key TEXT PRIMARY KEY,
    offset_bytes INTEGER NOT NULL,
    line INTEGER NOT NULL,
    stored INTEGER NOT NULL,
    skipped INTEGER NOT NULL,
    done INTEGER NOT NULL,
    updated_at TEXT NOT NULL
  );
  `,
  // Who reset a conversation's learned interests from App Home, and when (issue 11).
  `
  ALTER TABLE learning_resets ADD COLUMN reset_by TEXT;
  ALTER TABLE learning_resets ADD COLUMN reset_at TEXT;
  `,
  // Digests of two kinds (src/digest/subscription.ts): a channel holds one subscription of each, and
  // each kind's digest is claimed and posted once a day on its own; the first-version day of papers
  // arXiv knows (they have categories), indexed for the arXiv digest's window.
  `
  CREATE TABLE subscriptions_by_kind (
    team_id TEXT NOT NULL,
    channel_id TEXT NOT NULL,
    kind TEXT NOT NULL DEFAULT 'trending' CHECK (kind IN ('trending', 'arxiv')),
    time TEXT NOT NULL,
    time_zone TEXT NOT NULL,
    days TEXT NOT NULL CHECK (days IN ('weekdays', 'daily')),
    topics TEXT NOT NULL,
    categories TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    paused TEXT,
    PRIMARY KEY (team_id, channel_id, kind)
  );
  INSERT INTO subscriptions_by_kind (team_id, channel_id, time, time_zone, days, topics, created_by, updated_at, paused)
    SELECT team_id, channel_id, time, time_zone, days, topics, created_by, updated_at, paused FROM subscriptions;
  DROP TABLE subscriptions;
  ALTER TABLE subscriptions_by_kind RENAME TO subscriptions;
  CREATE INDEX subscriptions_by_schedule ON subscriptions (time_zone, time);
  CREATE TABLE digests_by_kind (
    team_id TEXT NOT NULL,
    channel_id TEXT NOT NULL,
    kind TEXT NOT NULL DEFAULT 'trending' CHECK (kind IN ('trending', 'arxiv')),
    date TEXT NOT NULL,
    owner TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('claimed', 'posted')),
    lease_until TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    ts TEXT,
    maybe_posted INTEGER NOT NULL DEFAULT 0,
    first_claimed_at TEXT,
    through_day TEXT,
    PRIMARY KEY (team_id, channel_id, kind, date)
  );
  INSERT INTO digests_by_kind (team_id, channel_id, date, owner, status, lease_until, attempts, ts, maybe_posted, first_claimed_at, through_day)
    SELECT team_id, channel_id, date, owner, status, lease_until, attempts, ts, maybe_posted, first_claimed_at, through_day FROM digests;
  DROP TABLE digests;
  ALTER TABLE digests_by_kind RENAME TO digests;
  CREATE INDEX digests_by_channel ON digests (team_id, channel_id, kind, through_day);
  ALTER TABLE papers ADD COLUMN arxiv_day TEXT
    GENERATED ALWAYS AS (CASE WHEN paper ->> '$.categories' IS NOT NULL THEN paper ->> '$.publishedAt' END) VIRTUAL;
  CREATE INDEX papers_by_arxiv_day ON papers (arxiv_day) WHERE arxiv_day IS NOT NULL;
  `,
  // The change feed (PaperStore.papersChangedSince): every write of a paper takes the next number,
  // so a process that did not write it (the bot, after "paperboy ingest" or an import) can take it in.
  `
  ALTER TABLE papers ADD COLUMN change_seq INTEGER NOT NULL DEFAULT 0;
  CREATE INDEX papers_by_change ON papers (change_seq);
  `,
  // Who this store is (a change cursor, and so an index snapshot, is continued only by the store that
  // made it: src/store/change-cursor.ts) and the feed's last number, kept apart from the rows so that
  // removing the paper that held the highest number never hands that number out again.
  `
  CREATE TABLE store_meta (identity TEXT NOT NULL, change_seq INTEGER NOT NULL);
  INSERT INTO store_meta SELECT lower(hex(randomblob(16))), coalesce(max(change_seq), 0) FROM papers;
  `,
  // Removed papers, numbered like writes, so that the change feed carries removals too.
  `
  CREATE TABLE removed_papers (id TEXT PRIMARY KEY, change_seq INTEGER NOT NULL);
  CREATE INDEX removed_papers_by_change ON removed_papers (change_seq);
  `,
];
