import { closeSync, read } from 'node:fs';
import { promisify } from 'node:util';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { readAt } from '../lib/read-at.js';
import type { Paper } from '../papers/paper.js';

/**
 * The indexed papers by document number, each kept as its JSON compressed on its own (raw deflate)
 * in large pages outside the JS heap, and inflated when read: for the hits a search returns, a paper
 * to re-analyse. At a million papers the papers as JS objects took about 2 GB of heap; packed they
 * take about half of their UTF-8 size (bench/RESULTS.md). A paper costs about 40 µs to pack, once,
 * and about 13 µs to read.
 *
 * A 4 KB window (most papers' JSON is 1-2 KB) packs as well as the default 32 KB here and inflates
 * three times faster, the setup of a large window costing more than a short paper's inflation.
 */
const ZLIB = { level: 6, windowBits: 12, memLevel: 5 } as const;
const INFLATE = { windowBits: ZLIB.windowBits } as const;
const PAGE_BYTES = 8 * 2 ** 20;
/** Replaced papers' bytes are reclaimed once they outweigh the live ones (and are worth a copy). */
const RECLAIM_AT_BYTES = 16 * 2 ** 20;

/**
 * Packed papers left in a snapshot file (the last section of serialize.ts's layout), so that start-up
 * need not wait for them: they are read per paper from the file until load() has read the whole
 * section into memory in the background (the event loop free meanwhile). Reading them per paper for
 * good would leave every hit at the mercy of the page cache, which a host that reclaims cold pages
 * (as this machine's does) empties. The file may be replaced meanwhile (a newer snapshot renamed over
 * it): the descriptor keeps this one. The page owns the descriptor once given it.
 */
export class FilePage {
  private memory: Uint8Array | undefined;
  private loading: Promise<void> | undefined;

  constructor(
    private readonly fd: number,
    private readonly offset: number,
    readonly byteLength: number,
  ) {}

  private static readonly closer = new FinalizationRegistry<number>((fd) => closeSync(fd));

  /**
   * Reads the papers into memory, then serves them from there and closes the file. Settles either
   * way: if reading fails, the papers go on being read from the file (closed when the page is collected).
   */
  load(): Promise<void> {
    this.loading ??= this.readAll().then(
      (bytes) => {
        this.memory = bytes;
        closeSync(this.fd);
      },
      () => void FilePage.closer.register(this, this.fd),
    );
    return this.loading;
  }

  read(start: number, end: number): Uint8Array {
    if (this.memory) return this.memory.subarray(start, end);
    return readAt(this.fd, Buffer.allocUnsafe(end - start), this.offset + start);
  }

  private async readAll(): Promise<Uint8Array> {
    const bytes = Buffer.allocUnsafe(this.byteLength);
    for (let done = 0; done < bytes.byteLength; ) {
      const length = Math.min(READ_CHUNK_BYTES, bytes.byteLength - done);
      const { bytesRead } = await readAsync(this.fd, bytes, done, length, this.offset + done);
      if (bytesRead === 0) throw new Error('the search index snapshot file ends early (truncated?)');
      done += bytesRead;
    }
    return bytes;
  }
}

const readAsync = promisify(read);
/** Read a chunk at a time, on libuv's threads: the event loop only sees each chunk complete. */
const READ_CHUNK_BYTES = 16 * 2 ** 20;

type Page = Uint8Array | FilePage;

function bytesIn(page: Page, start: number, end: number): Uint8Array {
  return page instanceof FilePage ? page.read(start, end) : page.subarray(start, end);
}

export class PackedPapers {
  private pages: Page[] = [];
  /** Bytes used in the last page. */
  private used = 0;
  private pageOf: Uint32Array = new Uint32Array(256);
  private startOf: Uint32Array = new Uint32Array(256);
  /** Packed length per document; 0 when the document holds no paper. */
  private lengthOf: Uint32Array = new Uint32Array(256);
  private liveBytes = 0;
  private deadBytes = 0;

  /** Papers a frozen copy wrote (chunks()), documents 0..n-1 in order; the bytes are adopted, not copied. */
  static restore(lengths: Uint32Array, bytes: Page): PackedPapers {
    const packed = new PackedPapers();
    packed.grow(lengths.length);
    packed.pages.push(bytes);
    let at = 0;
    for (let doc = 0; doc < lengths.length; doc++) {
      packed.startOf[doc] = at;
      packed.lengthOf[doc] = lengths[doc]!;
      at += lengths[doc]!;
    }
    if (at !== bytes.byteLength) throw new Error('the packed papers do not add up to their lengths (corrupt index?)');
    // The adopted page is full: a paper packed later starts a page of its own.
    packed.used = at;
    packed.liveBytes = at;
    return packed;
  }

  /** The papers' packed bytes in all. */
  get byteLength(): number {
    return this.liveBytes;
  }

  set(doc: number, paper: Paper): void {
    this.delete(doc);
    this.grow(doc + 1);
    const bytes = deflateRawSync(JSON.stringify(paper), ZLIB);
    const page = this.room(bytes.byteLength);
    (this.pages[page] as Uint8Array).set(bytes, this.used);
    this.pageOf[doc] = page;
    this.startOf[doc] = this.used;
    this.lengthOf[doc] = bytes.byteLength;
    this.used += bytes.byteLength;
    this.liveBytes += bytes.byteLength;
  }

  get(doc: number): Paper | undefined {
    const bytes = this.bytesOf(doc);
    return bytes && (JSON.parse(inflateRawSync(bytes, INFLATE).toString('utf8')) as Paper);
  }

  delete(doc: number): void {
    const length = doc < this.lengthOf.length ? this.lengthOf[doc]! : 0;
    if (length === 0) return;
    this.lengthOf[doc] = 0;
    this.liveBytes -= length;
    this.deadBytes += length;
    if (this.deadBytes > RECLAIM_AT_BYTES && this.deadBytes > this.liveBytes) this.reclaim();
  }

  /**
   * The papers as they stand now, to copy out later while papers keep arriving (a snapshot saved
   * without stopping search): pages are never written over, so copies of the positions suffice.
   */
  frozen(): FrozenPackedPapers {
    return new FrozenPackedPapers([...this.pages], this.pageOf.slice(), this.startOf.slice(), this.lengthOf.slice());
  }

  private bytesOf(doc: number): Uint8Array | undefined {
    const length = doc < this.lengthOf.length ? this.lengthOf[doc]! : 0;
    if (length === 0) return undefined;
    const start = this.startOf[doc]!;
    return bytesIn(this.pages[this.pageOf[doc]!]!, start, start + length);
  }

  /** The page with room for `bytes` more (a new one when the last is full, or is a file's). */
  private room(bytes: number): number {
    const last = this.pages.at(-1);
    if (!(last instanceof Uint8Array) || this.used + bytes > last.byteLength) {
      this.pages.push(new Uint8Array(Math.max(PAGE_BYTES, bytes)));
      this.used = 0;
    }
    return this.pages.length - 1;
  }

  /** Copies the live papers into fresh pages, dropping replaced and removed ones' bytes. */
  private reclaim(): void {
    const live: Array<{ doc: number; bytes: Uint8Array }> = [];
    for (let doc = 0; doc < this.lengthOf.length; doc++) {
      const bytes = this.bytesOf(doc);
      if (bytes) live.push({ doc, bytes });
    }
    this.pages = [];
    this.used = 0;
    for (const { doc, bytes } of live) {
      const page = this.room(bytes.byteLength);
      (this.pages[page] as Uint8Array).set(bytes, this.used);
      this.pageOf[doc] = page;
      this.startOf[doc] = this.used;
      this.used += bytes.byteLength;
    }
    this.deadBytes = 0;
  }

  private grow(docs: number): void {
    if (docs <= this.lengthOf.length) return;
    const size = Math.max(docs, this.lengthOf.length * 2);
    this.pageOf = grown(this.pageOf, size);
    this.startOf = grown(this.startOf, size);
    this.lengthOf = grown(this.lengthOf, size);
  }
}

/** Packed papers as PackedPapers.frozen() took them. */
export class FrozenPackedPapers {
  constructor(
    private readonly pages: readonly Page[],
    private readonly pageOf: Uint32Array,
    private readonly startOf: Uint32Array,
    private readonly lengthOf: Uint32Array,
  ) {}

  /** The packed length of each of `docs`, which must all hold a paper. */
  lengths(docs: ArrayLike<number>): Uint32Array {
    const lengths = new Uint32Array(docs.length);
    for (let i = 0; i < docs.length; i++) {
      const doc = docs[i]!;
      lengths[i] = doc < this.lengthOf.length ? this.lengthOf[doc]! : 0;
      if (lengths[i] === 0) throw new Error(`document ${doc} holds no paper`);
    }
    return lengths;
  }

  /** The packed bytes of `docs`, one after another, in chunks of `chunkBytes` (the last shorter): what restore() reads. */
  *chunks(docs: ArrayLike<number>, chunkBytes = CHUNK_BYTES): Generator<Uint8Array> {
    const total = this.lengths(docs).reduce((sum, length) => sum + length, 0);
    let chunk = new Uint8Array(Math.min(chunkBytes, total));
    let used = 0;
    let left = total;
    for (let i = 0; i < docs.length; ) {
      // A run of papers lying one after another in a page is copied at once (after a load, all are).
      const page = this.pageOf[docs[i]!]!;
      const start = this.startOf[docs[i]!]!;
      let end = start + this.lengthOf[docs[i]!]!;
      // (At most a chunk's worth: a file's page is read, not viewed.)
      for (i++; i < docs.length && this.pageOf[docs[i]!] === page && this.startOf[docs[i]!] === end && end - start < chunkBytes; i++)
        end += this.lengthOf[docs[i]!]!;
      let bytes = bytesIn(this.pages[page]!, start, end);
      while (bytes.byteLength > 0) {
        const taken = Math.min(bytes.byteLength, chunk.byteLength - used);
        chunk.set(bytes.subarray(0, taken), used);
        used += taken;
        left -= taken;
        bytes = bytes.subarray(taken);
        if (used === chunk.byteLength) {
          yield chunk;
          chunk = new Uint8Array(Math.min(chunkBytes, left));
          used = 0;
        }
      }
    }
  }
}

/** What FrozenPackedPapers.chunks yields at a time: a few milliseconds of copying. */
const CHUNK_BYTES = 8 * 2 ** 20;

function grown(values: Uint32Array, size: number): Uint32Array {
  const bigger = new Uint32Array(size);
  bigger.set(values);
  return bigger;
}
