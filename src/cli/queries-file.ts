import { readFileSync } from 'node:fs';

export interface BatchQuery {
  id: string;
  text: string;
}

/** Reads JSON Lines of {"_id","text"} (BEIR) or {"id","query"}; throws with file:line on a bad line. */
export function readQueriesFile(file: string): BatchQuery[] {
  const queries: BatchQuery[] = [];
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((raw, i) => {
      if (!raw.trim()) return;
      let record: Record<string, unknown>;
      try {
        record = JSON.parse(raw) as Record<string, unknown>;
      } catch {
        throw new Error(`${file}:${i + 1}: not valid JSON`);
      }
      const id = record._id ?? record.id;
      const text = record.text ?? record.query;
      if ((typeof id !== 'string' && typeof id !== 'number') || typeof text !== 'string') {
        throw new Error(`${file}:${i + 1}: expected {"_id","text"} or {"id","query"}`);
      }
      queries.push({ id: String(id), text });
    });
  return queries;
}
