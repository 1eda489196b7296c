import type pg from 'pg';
import type { Paper } from '../../papers/paper.js';
import type { ImportCheckpoint, PaperStore } from '../../papers/paper-store.js';
import { formatCursor, positionOf } from '../change-cursor.js';
import { inTransaction } from './db.js';

type StoredPaper = Omit<Paper, 'trending'>;

/** A paper with one trending entry, or none. */
type PaperRow = { paper: StoredPaper; date: string; rank: number } | { paper: StoredPaper; date: null; rank: null };

// Rows are written in id order, the same in every transaction, so that concurrent upserts of
// overlapping batches wait for each other instead of deadlocking.
const UPSERT_PAPERS = `
  INSERT INTO papers (id, paper, updated_at)
  SELECT paper ->> 'id', paper, $2 FROM jsonb_array_elements($1::jsonb) AS batch (paper)
  ORDER BY paper ->> 'id'
  ON CONFLICT (id) DO UPDATE SET paper = excluded.paper, updated_at = excluded.updated_at, written_by = pg_current_xact_id()`;

const UPSERT_TRENDING = `
  INSERT INTO trending (paper_id, date, rank)
  SELECT * FROM unnest($1::text[], $2::date[], $3::integer[]) AS batch (paper_id, date, rank)
  ORDER BY paper_id
  ON CONFLICT (date, paper_id) DO UPDATE SET rank = excluded.rank`;

/** Each paper with its most recent trending entry, if any. */
const WITH_LATEST_TRENDING = `
  SELECT papers.paper, latest.date, latest.rank
  FROM papers
  LEFT JOIN LATERAL (
    SELECT date, rank FROM trending WHERE trending.paper_id = papers.id ORDER BY date DESC LIMIT 1
  ) AS latest ON true`;

export function postgresPaperStore(pool: pg.Pool, now: () => Date): PaperStore {
  let identity: Promise<string> | undefined;
  const storeIdentity = () => {
    identity ??= pool.query<{ identity: string }>('SELECT identity FROM store_meta').then(
      ({ rows }) => rows[0]!.identity,
      (error: Error) => {
        identity = undefined;
        throw error;
      },
    );
    return identity;
  };
  return {
    async upsertPapers(papers) {
      const batch = lastOfEachId(papers);
      if (batch.length === 0) return;
      const trending = batch.flatMap(({ id, trending }) => (trending ? [{ id, ...trending }] : []));
      await inTransaction(pool, async (client) => {
        await client.query(UPSERT_PAPERS, [JSON.stringify(batch.map(withoutTrending)), now()]);
        if (trending.length === 0) return;
        await client.query(UPSERT_TRENDING, [
          trending.map((entry) => entry.id),
          trending.map((entry) => entry.date),
          trending.map((entry) => entry.rank),
        ]);
      });
    },

    async removePapers(ids) {
      if (ids.length === 0) return;
      await inTransaction(pool, async (client) => {
        const { rows } = await client.query<{ id: string }>('DELETE FROM papers WHERE id = ANY($1::text[]) RETURNING id', [ids]);
        await client.query(
          `INSERT INTO removed_papers (id) SELECT unnest($1::text[]) ORDER BY 1
           ON CONFLICT (id) DO UPDATE SET removed_by = pg_current_xact_id()`,
          [rows.map((row) => row.id)],
        );
      });
    },

    async allPapers() {
      const { rows } = await pool.query<PaperRow>(`${WITH_LATEST_TRENDING} ORDER BY papers.id`);
      return rows.map(toPaper);
    },

    async changeCursor() {
      return formatCursor(await storeIdentity(), await horizon(pool));
    },

    // A transaction's id is taken when it starts writing, and it may commit after a later one: reading
    // "ids above the last seen" would skip it. So a read goes only up to the oldest transaction still
    // running (the snapshot's xmin): everything below it has ended and is visible, and the next read
    // starts there. A transaction left open holds the feed back; it never loses a paper.
    async papersChangedSince(cursor) {
      const store = await storeIdentity();
      const from = positionOf(cursor, store, /^\d{1,20}$/);
      const until = await horizon(pool);
      const { rows } = await pool.query<PaperRow>(
        `${WITH_LATEST_TRENDING} WHERE papers.written_by >= $1::xid8 AND papers.written_by < $2::xid8 ORDER BY papers.written_by`,
        [from, until],
      );
      const removed = await pool.query<{ id: string }>(
        'SELECT id FROM removed_papers WHERE removed_by >= $1::xid8 AND removed_by < $2::xid8 ORDER BY removed_by',
        [from, until],
      );
      return { papers: rows.map(toPaper), removed: removed.rows.map((row) => row.id), cursor: formatCursor(store, until) };
    },

    async trendingOn(date) {
      const { rows } = await pool.query<PaperRow>(
        `SELECT papers.paper, trending.date, trending.rank
         FROM trending JOIN papers ON papers.id = trending.paper_id
         WHERE trending.date = $1
         ORDER BY trending.rank, trending.paper_id`,
        [date],
      );
      return rows.map(toPaper);
    },

    async arxivPapersBetween(from, to) {
      const { rows } = await pool.query<{ paper: StoredPaper }>(
        'SELECT paper FROM papers WHERE arxiv_day BETWEEN $1 AND $2 ORDER BY arxiv_day DESC, id',
        [from, to],
      );
      return rows.map((row) => row.paper);
    },

    async latestArxivDay(onOrBefore) {
      const { rows } = await pool.query<{ day: string | null }>('SELECT max(arxiv_day) AS day FROM papers WHERE arxiv_day <= $1', [
        onOrBefore,
      ]);
      return rows[0]?.day ?? undefined;
    },

    async latestTrendingDate(onOrBefore) {
      const { rows } = await pool.query<{ date: string | null }>('SELECT max(date) AS date FROM trending WHERE date <= $1', [onOrBefore]);
      return rows[0]?.date ?? undefined;
    },

    async markDayClosed(date, papers) {
      await pool.query(
        `INSERT INTO closed_days (date, papers, fetched_at) VALUES ($1, $2, $3)
         ON CONFLICT (date) DO UPDATE SET papers = excluded.papers, fetched_at = excluded.fetched_at`,
        [date, papers, now()],
      );
    },

    async daysHeld(from, to) {
      const { rows } = await pool.query<{ date: string; closed: boolean }>(
        `SELECT date, true AS closed FROM closed_days WHERE date BETWEEN $1 AND $2
         UNION ALL SELECT DISTINCT date, false FROM trending WHERE date BETWEEN $1 AND $2`,
        [from, to],
      );
      return {
        closed: new Set(rows.filter((row) => row.closed).map((row) => row.date)),
        withPapers: new Set(rows.filter((row) => !row.closed).map((row) => row.date)),
      };
    },

    async papersByIds(ids) {
      if (!ids.length) return [];
      const { rows } = await pool.query<PaperRow>(`${WITH_LATEST_TRENDING} WHERE papers.id = ANY($1::text[])`, [ids]);
      return rows.map(toPaper);
    },

    async markSourceDay(source, date, papers) {
      await pool.query(
        `INSERT INTO source_days (source, date, papers, fetched_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (source, date) DO UPDATE SET papers = excluded.papers, fetched_at = excluded.fetched_at`,
        [source, date, papers, now()],
      );
    },

    async sourceDaysDone(source, from, to) {
      const { rows } = await pool.query<{ date: string }>('SELECT date FROM source_days WHERE source = $1 AND date BETWEEN $2 AND $3', [
        source,
        from,
        to,
      ]);
      return new Set(rows.map((row) => row.date));
    },

    async importCheckpoint(fileKey) {
      const { rows } = await pool.query<{ offset_bytes: string; line: string; stored: string; skipped: string; done: boolean }>(
        'SELECT offset_bytes, line, stored, skipped, done FROM import_checkpoints WHERE file_key = $1',
        [fileKey],
      );
      const row = rows[0];
      return (
        row && {
          offset: Number(row.offset_bytes),
          line: Number(row.line),
          stored: Number(row.stored),
          skipped: Number(row.skipped),
          done: row.done,
        }
      );
    },

    async saveImportCheckpoint(fileKey, at: ImportCheckpoint) {
      await pool.query(
        `INSERT INTO import_checkpoints (file_key, offset_bytes, line, stored, skipped, done, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (file_key) DO UPDATE SET offset_bytes = excluded.offset_bytes, line = excluded.line, stored = excluded.stored,
           skipped = excluded.skipped, done = excluded.done, updated_at = excluded.updated_at`,
        [fileKey, at.offset, at.line, at.stored, at.skipped, at.done, now()],
      );
    },
  };
}

/** One paper per id, the batch's last word on it (one statement cannot upsert a row twice). */
function lastOfEachId(papers: Paper[]): Paper[] {
  return [...new Map(papers.map((paper) => [paper.id, paper])).values()];
}

function withoutTrending({ trending: _trending, ...paper }: Paper): StoredPaper {
  return paper;
}

function toPaper(row: PaperRow): Paper {
  return row.date === null ? row.paper : { ...row.paper, trending: { date: row.date, rank: row.rank } };
}

/** The oldest transaction id still running: every transaction below it has committed or rolled back. */
async function horizon(pool: pg.Pool): Promise<string> {
  const { rows } = await pool.query<{ xmin: string }>('SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS xmin');
  return rows[0]!.xmin;
}
