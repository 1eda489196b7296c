import { readLines } from '../lib/read-lines.js';

export interface BatchQuery {
  id: string;
  text: string;
}

/** A query line longer than this is not a query. */
const MAX_QUERY_LINE_BYTES = 64 * 1024;
const MAX_QUERIES_FILE_BYTES = 64 * (1 << 20);

/**
 * Reads JSON Lines of {"_id","text"} (BEIR) or {"id","query"}; throws with file:line on a bad line,
 * and by name on a folder, a file too large or text that is not UTF-8.
 */
export function readQueriesFile(file: string): BatchQuery[] {
  const queries: BatchQuery[] = [];
  for (const entry of readLines(file, { maxLineBytes: MAX_QUERY_LINE_BYTES, maxFileBytes: MAX_QUERIES_FILE_BYTES })) {
    const where = `${file}:${entry.line}`;
    if ('tooLong' in entry) throw new Error(`${where}: longer than ${MAX_QUERY_LINE_BYTES} bytes`);
    if (!('text' in entry)) continue;
    if (!entry.text.trim()) continue;
    let record: unknown;
    try {
      record = JSON.parse(entry.text);
    } catch {
      throw new Error(`${where}: not valid JSON`);
    }
    if (typeof record !== 'object' || record === null || Array.isArray(record))
      throw new Error(`${where}: expected a JSON object {"_id","text"} or {"id","query"}`);
    const { _id, id: plainId, text: beirText, query } = record as Record<string, unknown>;
    const id = _id ?? plainId;
    const text = beirText ?? query;
    if ((typeof id !== 'string' && typeof id !== 'number') || typeof text !== 'string') {
      throw new Error(`${where}: expected {"_id","text"} or {"id","query"}`);
    }
    queries.push({ id: String(id), text });
  }
  return queries;
}
