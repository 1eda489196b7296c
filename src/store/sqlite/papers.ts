import type Database from 'better-sqlite3';
import type { Paper } from '../../papers/paper.js';
import type { ImportCheckpoint, PaperStore } from '../../papers/paper-store.js';
import { formatCursor, positionOf } from '../change-cursor.js';

type StoredPaper = Omit<Paper, 'trending'>;
interface PaperRow {
  paper: string;
  date: string | null;
  rank: number | null;
}

export function sqlitePaperStore(db: Database.Database, now: () => Date): PaperStore {
  const upsertPaper = db.prepare(
    `INSERT INTO papers (id, paper, updated_at, change_seq) VALUES (?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET paper = excluded.paper, updated_at = excluded.updated_at, change_seq = excluded.change_seq`,
  );
  const { identity } = db.prepare<[], { identity: string }>('SELECT identity FROM store_meta').get()!;
  const lastChange = db.prepare<[], { seq: number }>('SELECT change_seq AS seq FROM store_meta');
  const nextChange = db.prepare<[], { seq: number }>('UPDATE store_meta SET change_seq = change_seq + 1 RETURNING change_seq AS seq');
  const upsertTrending = db.prepare(
    `INSERT INTO trending (paper_id, date, rank) VALUES (?, ?, ?)
     ON CONFLICT (date, paper_id) DO UPDATE SET rank = excluded.rank`,
  );
  const removePaper = db.prepare('DELETE FROM papers WHERE id = ?');
  const markRemoved = db.prepare(
    'INSERT INTO removed_papers (id, change_seq) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET change_seq = excluded.change_seq',
  );
  const removeAll = db.transaction((ids: string[]) => {
    const seq = nextChange.get()!.seq;
    for (const id of ids) if (removePaper.run(id).changes > 0) markRemoved.run(id, seq);
  });
  const removedSince = db.prepare<[number], { id: string; change_seq: number }>(
    'SELECT id, change_seq FROM removed_papers WHERE change_seq > ? ORDER BY change_seq',
  );
  const withLatestTrending = `SELECT papers.paper, papers.change_seq,
       (SELECT date FROM trending WHERE paper_id = papers.id ORDER BY date DESC LIMIT 1) AS date,
       (SELECT rank FROM trending WHERE paper_id = papers.id ORDER BY date DESC LIMIT 1) AS rank
     FROM papers`;
  const allPapers = db.prepare<[], PaperRow>(`${withLatestTrending} ORDER BY papers.id`);
  const changedSince = db.prepare<[number], PaperRow & { change_seq: number }>(
    `${withLatestTrending} WHERE papers.change_seq > ? ORDER BY papers.change_seq`,
  );
  const trendingOn = db.prepare<[string], PaperRow>(
    `SELECT papers.paper, trending.date, trending.rank
     FROM trending JOIN papers ON papers.id = trending.paper_id
     WHERE trending.date = ? ORDER BY trending.rank, trending.paper_id`,
  );
  const latestTrendingDate = db.prepare<[string], { date: string | null }>('SELECT max(date) AS date FROM trending WHERE date <= ?');
  const markClosed = db.prepare(
    `INSERT INTO closed_days (date, papers, fetched_at) VALUES (?, ?, ?)
     ON CONFLICT (date) DO UPDATE SET papers = excluded.papers, fetched_at = excluded.fetched_at`,
  );
  const closedBetween = db.prepare<[string, string], { date: string }>('SELECT date FROM closed_days WHERE date BETWEEN ? AND ?');
  const trendingBetween = db.prepare<[string, string], { date: string }>('SELECT DISTINCT date FROM trending WHERE date BETWEEN ? AND ?');
  const markSourceDay = db.prepare(
    `INSERT INTO source_days (source, date, papers, fetched_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (source, date) DO UPDATE SET papers = excluded.papers, fetched_at = excluded.fetched_at`,
  );
  const sourceDays = db.prepare<[string, string, string], { date: string }>(
    'SELECT date FROM source_days WHERE source = ? AND date BETWEEN ? AND ?',
  );
  const arxivBetween = db.prepare<[string, string], { paper: string }>(
    'SELECT paper FROM papers WHERE arxiv_day BETWEEN ? AND ? ORDER BY arxiv_day DESC, id',
  );
  const latestArxivDay = db.prepare<[string], { day: string | null }>('SELECT max(arxiv_day) AS day FROM papers WHERE arxiv_day <= ?');
  const paperById = db.prepare<[string], PaperRow>(
    `SELECT papers.paper,
       (SELECT date FROM trending WHERE paper_id = papers.id ORDER BY date DESC LIMIT 1) AS date,
       (SELECT rank FROM trending WHERE paper_id = papers.id ORDER BY date DESC LIMIT 1) AS rank
     FROM papers WHERE papers.id = ?`,
  );
  const checkpoint = db.prepare<[string], { offset_bytes: number; line: number; stored: number; skipped: number; done: number }>(
    'SELECT offset_bytes, line, stored, skipped, done FROM import_checkpoints WHERE file_key = ?',
  );
  const saveCheckpoint = db.prepare(
    `INSERT INTO import_checkpoints (file_key, offset_bytes, line, stored, skipped, done, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (file_key) DO UPDATE SET offset_bytes = excluded.offset_bytes, line = excluded.line, stored = excluded.stored,
       skipped = excluded.skipped, done = excluded.done, updated_at = excluded.updated_at`,
  );
  const upsertAll = db.transaction((papers: Paper[], at: string) => {
    // One number per write, taken under the write lock (an immediate transaction), so numbers are
    // handed out in commit order, even across processes sharing the file.
    const seq = nextChange.get()!.seq;
    for (const { trending, ...paper } of papers) {
      upsertPaper.run(paper.id, JSON.stringify(paper), at, seq);
      if (trending) upsertTrending.run(paper.id, trending.date, trending.rank);
    }
  });

  return {
    async upsertPapers(papers) {
      upsertAll.immediate(papers, now().toISOString());
    },
    async removePapers(ids) {
      if (ids.length) removeAll.immediate(ids);
    },
    async allPapers() {
      return allPapers.all().map(toPaper);
    },
    async changeCursor() {
      return formatCursor(identity, String(lastChange.get()!.seq));
    },
    async papersChangedSince(cursor) {
      const from = Number(positionOf(cursor, identity, /^\d{1,15}$/));
      // One read transaction: the papers and the removals as of the same moment.
      const { rows, removed } = db.transaction(() => ({ rows: changedSince.all(from), removed: removedSince.all(from) }))();
      const last = Math.max(from, rows.at(-1)?.change_seq ?? 0, removed.at(-1)?.change_seq ?? 0);
      return { papers: rows.map(toPaper), removed: removed.map(({ id }) => id), cursor: formatCursor(identity, String(last)) };
    },
    async trendingOn(date) {
      return trendingOn.all(date).map(toPaper);
    },
    async latestTrendingDate(onOrBefore) {
      return latestTrendingDate.get(onOrBefore)?.date ?? undefined;
    },
    async markDayClosed(date, papers) {
      markClosed.run(date, papers, now().toISOString());
    },
    async daysHeld(from, to) {
      return {
        closed: new Set(closedBetween.all(from, to).map((row) => row.date)),
        withPapers: new Set(trendingBetween.all(from, to).map((row) => row.date)),
      };
    },
    async papersByIds(ids) {
      return [...new Set(ids)].flatMap((id) => {
        const row = paperById.get(id);
        return row ? [toPaper(row)] : [];
      });
    },
    async arxivPapersBetween(from, to) {
      return arxivBetween.all(from, to).map((row) => JSON.parse(row.paper) as StoredPaper);
    },
    async latestArxivDay(onOrBefore) {
      return latestArxivDay.get(onOrBefore)?.day ?? undefined;
    },
    async markSourceDay(source, date, papers) {
      markSourceDay.run(source, date, papers, now().toISOString());
    },
    async sourceDaysDone(source, from, to) {
      return new Set(sourceDays.all(source, from, to).map((row) => row.date));
    },
    async importCheckpoint(fileKey) {
      const row = checkpoint.get(fileKey);
      return row && { offset: row.offset_bytes, line: row.line, stored: row.stored, skipped: row.skipped, done: row.done === 1 };
    },
    async saveImportCheckpoint(fileKey, at: ImportCheckpoint) {
      saveCheckpoint.run(fileKey, at.offset, at.line, at.stored, at.skipped, at.done ? 1 : 0, now().toISOString());
    },
  };
}

function toPaper(row: PaperRow): Paper {
  const paper = JSON.parse(row.paper) as StoredPaper;
  return row.date === null || row.rank === null ? paper : { ...paper, trending: { date: row.date, rank: row.rank } };
}
