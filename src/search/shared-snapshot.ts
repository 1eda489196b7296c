/**
 * Where replicas on one database share the search index's snapshot, so that a replica starting on a
 * new machine (no local PAPERBOY_INDEX_FILE yet) loads it instead of analysing every paper again.
 * Postgres keeps it; the embedded SQLite has its file next to the database instead.
 */
export interface SharedIndexStore {
  /** The latest snapshot saved by any replica, and when; undefined when none was. */
  latestIndexSnapshot(): Promise<{ bytes: Uint8Array; savedAt: Date } | undefined>;
  /** When the latest snapshot was saved (without reading it); undefined when none was. */
  indexSnapshotSavedAt(): Promise<Date | undefined>;
  /** Replaces the shared snapshot with the one these parts make up, whole or not at all. */
  saveIndexSnapshot(parts: AsyncIterable<Uint8Array>): Promise<void>;
}
