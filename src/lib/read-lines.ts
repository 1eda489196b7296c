import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

/** A file that cannot be read as lines of UTF-8 text; the message names the file (and line). */
export class LinesFileError extends Error {
  override name = 'LinesFileError';
}

export interface LineLimits {
  /** A longer line is reported and skipped, never held in memory whole. */
  maxLineBytes: number;
  /** Reading stops with an error past this many bytes (`/dev/zero` would never end). */
  maxFileBytes: number;
  /** What the file is, for messages: "cannot read corpus x.jsonl". */
  label?: string;
  /** Resume at a line start: its byte offset and its number (a checkpoint's `end` and next line). */
  from?: { offset: number; line: number };
  /** Yield a line that is not UTF-8 as `notUtf8` instead of refusing the file (a bulk import skips it). */
  skipInvalid?: boolean;
}

/** A line, with `end`: the byte offset just past it (where a resumed read starts). */
export type Line = ({ text: string } | { tooLong: true } | { notUtf8: true }) & { line: number; end: number };

const CHUNK = 1 << 16;

/**
 * The lines of a UTF-8 text file, numbered from 1, read in chunks so that memory stays bounded by
 * the longest line kept (not the file). Invalid UTF-8 (a Latin-1 file) is refused with file:line
 * rather than silently turned into U+FFFD; folders and unreadable files are refused by name.
 */
export function* readLines(file: string, limits: LineLimits): Generator<Line> {
  const named = limits.label ? `${limits.label} ${file}` : file;
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (error) {
    throw new LinesFileError(`cannot read ${named}: ${describe(error)}`);
  }
  try {
    if (fstatSync(fd).isDirectory()) throw new LinesFileError(`cannot read ${named}: is a folder`);
    const decoder = new TextDecoder('utf-8', { fatal: true });
    const buffer = Buffer.alloc(CHUNK);
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    let tooLong = false;
    let lineNumber = limits.from?.line ?? 1;
    let total = 0;
    let position = limits.from?.offset ?? 0;
    let end = position;
    const finish = (): Line => {
      const number = lineNumber++;
      if (tooLong) return { line: number, end, tooLong: true };
      const bytes = Buffer.concat(pending, pendingBytes);
      try {
        return { line: number, end, text: decoder.decode(bytes).replace(/\r$/, '') };
      } catch {
        if (limits.skipInvalid) return { line: number, end, notUtf8: true };
        throw new LinesFileError(`${file}:${number}: not valid UTF-8 (a Latin-1 file? convert it: iconv -f latin1 -t utf-8)`);
      }
    };
    for (;;) {
      let read: number;
      try {
        read = readSync(fd, buffer, 0, CHUNK, position);
      } catch (error) {
        throw new LinesFileError(`cannot read ${named}: ${describe(error)}`);
      }
      if (read === 0) break;
      const chunkStart = position;
      position += read;
      total += read;
      if (total > limits.maxFileBytes) throw new LinesFileError(`${file}: larger than ${limits.maxFileBytes} bytes; not read`);
      let start = 0;
      for (let newline = buffer.indexOf(10, start); newline !== -1 && newline < read; newline = buffer.indexOf(10, start)) {
        keep(buffer.subarray(start, newline));
        end = chunkStart + newline + 1;
        const line = finish();
        pending = [];
        pendingBytes = 0;
        tooLong = false;
        yield line;
        start = newline + 1;
      }
      keep(buffer.subarray(start, read));
    }
    end = position;
    if (pendingBytes > 0 || tooLong) yield finish();

    function keep(part: Buffer): void {
      if (tooLong || part.length === 0) return;
      if (pendingBytes + part.length > limits.maxLineBytes) {
        tooLong = true;
        pending = [];
        pendingBytes = 0;
        return;
      }
      pending.push(Buffer.from(part));
      pendingBytes += part.length;
    }
  } finally {
    closeSync(fd);
  }
}

function describe(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'is a folder';
  if (code === 'EACCES') return 'permission denied';
  return (error as Error).message;
}
