import { readSync } from 'node:fs';

/**
 * Fills `into` from the open file at `position`, reading again after a short read; throws when the
 * file ends first (a truncated file).
 */
export function readAt(fd: number, into: Uint8Array, position: number): Uint8Array {
  for (let done = 0; done < into.byteLength; ) {
    const read = readSync(fd, into, done, into.byteLength - done, position + done);
    if (read === 0) throw new Error('the file ends early (truncated?)');
    done += read;
  }
  return into;
}
