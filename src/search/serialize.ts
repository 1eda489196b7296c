import {
  analysisFingerprint,
  FIELDS,
  restoreIndex,
  type RestoredSnapshot,
  snapshotIndex,
  type IndexOptions,
  type IndexSnapshot,
  type VariantOptions,
} from './paper-index.js';
import { closeSync, fstatSync, openSync } from 'node:fs';
import { readAt } from '../lib/read-at.js';
import { FilePage } from './packed-papers.js';
import type { PaperIndex } from './types.js';

/**
 * A search index as bytes, to load without analysing the papers again, and without the papers'
 * store: the papers travel with it, packed as the index keeps them (packed-papers.ts).
 *
 * Layout (little-endian): "PBIX", u32 format version, then sections, each a u32 byte length, zero
 * bytes up to the next multiple of 8, and its bytes: a JSON header (fields, analysis fingerprint,
 * counts, the caller's meta), paper ids, the papers' packed lengths and bytes, their prior facts
 * (lasting part, date, upvotes), terms, term surfaces, word forms, the forms' term ids, term document
 * frequencies, field lengths, field token counts, and the postings' offsets, documents and
 * frequencies as raw typed arrays. The index is compacted first (one segment, removed papers
 * dropped, documents renumbered in order), so ranking is unchanged.
 *
 * Sections start on 8-byte boundaries so that loading takes typed-array views of the bytes instead
 * of copying them (a million papers: most of a gigabyte): the loaded index owns the bytes.
 */
const MAGIC = 'PBIX';
/**
 * Bump on any change to the layout or to how text becomes terms (analyzer.ts).
 * 2: text is folded before analysis (fold.ts), so version 1 terms no longer match queries.
 * 3: contractions lose their clitic ("don't" -> "do"), no longer indexed as "don", "t", "dont";
 *    the header lists the acronyms the papers define.
 * 4: the papers and their prior facts are in the bytes; sections are 8-byte aligned; a meta header.
 */
export const FORMAT_VERSION = 4;
/** Joins string lists; the analyzer's words and paper ids never contain it. */
const SEPARATOR = '\0';
const ALIGN = 8;

/** What the saver says about the index's origin (persisted-index.ts: the store's change cursor, the seed file). */
export type IndexMeta = Readonly<Record<string, string>>;

interface Header {
  fields: string[];
  fingerprint: string;
  papers: number;
  terms: number;
  forms: number;
  /** Acronym definitions mined from the papers: [short, long, count]. */
  acronyms: [string, string, number][];
  meta: IndexMeta;
}

export function serializeIndex(index: PaperIndex, meta: IndexMeta = {}): Uint8Array {
  const parts = [...serializedParts(index, () => meta)];
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.byteLength, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.byteLength;
  }
  return out;
}

/** How long serializing may hold the event loop before it lets queries in. */
const SLICE_MS = 10;

/**
 * serializeIndex's bytes, in parts, without stopping search: the index is taken as it stands at the
 * first part (and `meta()` read at that moment, so that what it says is what the bytes hold), then
 * compacted and written a slice of about SLICE_MS at a time, the event loop free in between. The
 * index may take papers meanwhile; they are not in these bytes. A million papers: see bench/RESULTS.md.
 */
export async function* streamIndex(index: PaperIndex, meta: () => IndexMeta): AsyncGenerator<Uint8Array> {
  let sliceStart = performance.now();
  for (const part of serializedParts(index, meta)) {
    if (part.byteLength > 0) yield part;
    if (performance.now() - sliceStart >= SLICE_MS) {
      await new Promise((resolve) => setImmediate(resolve));
      sliceStart = performance.now();
    }
  }
}

/** The bytes in parts; an empty part marks a pause point inside a long computation. */
function* serializedParts(index: PaperIndex, meta: () => IndexMeta): Generator<Uint8Array> {
  requireLittleEndian();
  const steps = snapshotIndex(index);
  let step = steps.next();
  // The index is frozen now: the meta describes this moment.
  const said = { ...meta() };
  while (!step.done) {
    yield PAUSE;
    step = steps.next();
  }
  const snapshot = step.value;
  const { postings } = snapshot;
  const header: Header = {
    fields: [...FIELDS],
    fingerprint: snapshot.fingerprint,
    papers: snapshot.ids.length,
    terms: postings.terms.length,
    forms: snapshot.forms.size,
    acronyms: snapshot.acronyms,
    meta: said,
  };
  const out = new Sections();
  yield* out.raw(new TextEncoder().encode(MAGIC));
  yield* out.u32(FORMAT_VERSION);
  yield* out.sectionOf([new TextEncoder().encode(JSON.stringify(header))]);
  yield* out.strings(snapshot.ids);
  yield* out.typed(snapshot.packed.lengths);
  yield* out.typed(snapshot.priors.lasting);
  yield* out.typed(snapshot.priors.dates);
  yield* out.typed(snapshot.priors.upvotes);
  yield* out.strings(postings.terms);
  yield* out.strings(postings.terms.map((term) => sameOrSurface(term, snapshot.surfaces.get(term))));
  yield* out.strings([...snapshot.forms.keys()]);
  const termIds = new Map(postings.terms.map((term, id) => [term, id]));
  yield* out.typed(Int32Array.from(snapshot.forms.values(), (term) => termIds.get(term)!));
  for (const array of [postings.termDocFreqs, postings.lengths, postings.tokens, postings.offsets, postings.docs, postings.freqs])
    yield* out.typed(array);
  // Last, so that loading from a file can leave the papers there (loadIndexFile).
  yield* out.section(
    snapshot.packed.chunks,
    snapshot.packed.lengths.reduce((sum, length) => sum + length, 0),
  );
}

const PAUSE = new Uint8Array(0);
const STRINGS_SLICE = 50_000;

/** The meta the bytes were saved with, read from the header alone (before deciding to load them). */
export function indexMeta(bytes: Uint8Array, options: IndexOptions = {}): IndexMeta {
  requireLittleEndian();
  return readHeader(new BytesReader(bytes), options).meta ?? {};
}

/** indexMeta of a snapshot file, reading only its header. */
export function indexFileMeta(file: string, options: IndexOptions = {}): IndexMeta {
  requireLittleEndian();
  const reader = new FileReader(file);
  try {
    return readHeader(reader, options).meta ?? {};
  } finally {
    reader.close();
  }
}

/**
 * The index serializeIndex wrote, papers included, with `options` for scoring. The index keeps views
 * of `bytes` (change them and it changes). Throws if the bytes are of another format version or
 * analysis settings, or inconsistent.
 */
export function loadIndex(bytes: Uint8Array, options: IndexOptions = {}): PaperIndex {
  return loadVariantIndex(bytes, options);
}

/**
 * loadIndex from a file, reading every section but the papers' (half the bytes at a million papers),
 * which are read from the file per paper until `papersInMemory` settles: they are read into memory in
 * the background (packed-papers.ts's FilePage). The file may be replaced meanwhile; this index keeps
 * reading the one it opened.
 */
export function loadIndexFile(file: string, options: IndexOptions = {}): { index: PaperIndex; papersInMemory: Promise<void> } {
  const reader = new FileReader(file);
  let index: PaperIndex;
  try {
    index = loadFrom(reader, options);
  } catch (error) {
    reader.close();
    throw error;
  }
  return { index, papersInMemory: reader.page?.load() ?? Promise.resolve() };
}

/** loadIndex with analysis or scoring switches away from the defaults (see variants.ts). */
export function loadVariantIndex(bytes: Uint8Array, options: VariantOptions = {}): PaperIndex {
  return loadFrom(new BytesReader(bytes), options);
}

function loadFrom(reader: Reader, options: VariantOptions): PaperIndex {
  requireLittleEndian();
  const header = readHeader(reader, options);
  const ids = reader.strings(header.papers);
  const lengths = reader.typed(Uint32Array);
  const priors = { lasting: reader.typed(Float64Array), dates: reader.typed(Float64Array), upvotes: reader.typed(Int32Array) };
  const terms = reader.strings(header.terms);
  const surfaceList = reader.strings(header.terms);
  const formList = reader.strings(header.forms);
  const formTerms = reader.typed(Int32Array);
  const postings = {
    fieldCount: FIELDS.length,
    terms,
    termDocFreqs: reader.typed(Int32Array),
    lengths: reader.typed(Int32Array),
    tokens: reader.typed(Int32Array),
    offsets: reader.typed(Int32Array),
    docs: reader.typed(Int32Array),
    freqs: reader.typed(Uint16Array),
  };
  const packed = { lengths, page: reader.lastSection() };
  checkShape(header, { ...postings, packed, priors }, formTerms);
  const snapshot: RestoredSnapshot = {
    fingerprint: header.fingerprint,
    ids,
    packed,
    priors,
    postings,
    surfaces: new Map(terms.map((term, id) => [term, surfaceList[id] || term])),
    forms: new Map(formList.map((form, i) => [form, terms[formTerms[i]!]!])),
    acronyms: header.acronyms,
  };
  return restoreIndex(snapshot, options);
}

function readHeader(reader: Reader, options: VariantOptions): Header {
  if (reader.text(MAGIC.length) !== MAGIC) throw new Error('loadIndex: not a serialized Paperboy index (bad magic bytes)');
  const version = reader.u32();
  if (version !== FORMAT_VERSION) {
    throw new Error(
      `loadIndex: index format version ${version} is not supported (this build reads version ${FORMAT_VERSION}); rebuild the index`,
    );
  }
  const header = JSON.parse(new TextDecoder().decode(reader.section())) as Header;
  if (header.fields.join() !== FIELDS.join()) {
    throw new Error(
      `loadIndex: index fields [${header.fields.join(', ')}] differ from this build's [${FIELDS.join(', ')}]; rebuild the index`,
    );
  }
  const expected = analysisFingerprint(options);
  if (header.fingerprint !== expected) {
    throw new Error(
      `loadIndex: the index was built with other analysis options (fingerprint ${header.fingerprint}, these options give ${expected}: stop words, compounds); load it with the options it was built with, or rebuild it`,
    );
  }
  return header;
}

/** Catches a corrupt index before it indexes out of bounds. */
function checkShape(
  header: Header,
  parts: Omit<IndexSnapshot['postings'], 'fieldCount'> & Pick<RestoredSnapshot, 'packed' | 'priors'>,
  formTerms: Int32Array,
): void {
  const fields = FIELDS.length;
  const { packed, priors } = parts;
  const consistent =
    parts.termDocFreqs.length === header.terms &&
    parts.lengths.length === header.papers * fields &&
    parts.tokens.length === header.papers * fields &&
    parts.offsets.length >= 1 &&
    parts.offsets.length <= header.terms * fields + 1 &&
    parts.docs.length === parts.freqs.length &&
    parts.offsets.at(-1) === parts.docs.length &&
    packed.lengths.length === header.papers &&
    packed.lengths.every((length) => length > 0) &&
    packed.lengths.reduce((sum, length) => sum + length, 0) === packed.page.byteLength &&
    [priors.lasting, priors.dates, priors.upvotes].every((facts) => facts.length === header.papers) &&
    formTerms.length === header.forms &&
    formTerms.every((id) => id >= 0 && id < header.terms);
  if (!consistent) throw new Error('loadIndex: the index bytes are inconsistent (corrupt or truncated?); rebuild the index');
}

/** The surface, or '' when it is the term itself (common, and it saves the bytes). */
function sameOrSurface(term: string, surface: string | undefined): string {
  return surface === undefined || surface === term ? '' : surface;
}

function requireLittleEndian(): void {
  if (new Uint8Array(Uint16Array.of(1).buffer)[0] !== 1) throw new Error('serialized indexes are little-endian; this platform is not');
}

/** Lays the sections out as parts, keeping count of the offset for the alignment. */
class Sections {
  private offset = 0;

  *raw(bytes: Uint8Array): Generator<Uint8Array> {
    this.offset += bytes.byteLength;
    yield bytes;
  }

  *u32(value: number): Generator<Uint8Array> {
    const bytes = new Uint8Array(4);
    new DataView(bytes.buffer).setUint32(0, value, true);
    yield* this.raw(bytes);
  }

  /** A section made of `parts` one after another (`total` bytes in all), starting on an ALIGN boundary. */
  *section(parts: Iterable<Uint8Array>, total: number): Generator<Uint8Array> {
    yield* this.u32(total);
    yield* this.raw(new Uint8Array(padding(this.offset)));
    let written = 0;
    for (const part of parts) {
      written += part.byteLength;
      yield* this.raw(part);
    }
    if (written !== total) throw new Error(`serializeIndex: a section of ${written} bytes was announced as ${total}`);
  }

  /** A section of parts already in hand. */
  *sectionOf(parts: Uint8Array[]): Generator<Uint8Array> {
    yield* this.section(
      parts,
      parts.reduce((sum, part) => sum + part.byteLength, 0),
    );
  }

  *typed(array: Int32Array | Uint32Array | Uint16Array | Float64Array): Generator<Uint8Array> {
    yield* this.sectionOf([new Uint8Array(array.buffer, array.byteOffset, array.byteLength)]);
  }

  /** The list joined by SEPARATOR, encoded STRINGS_SLICE items at a time (a pause after each). */
  *strings(list: string[]): Generator<Uint8Array> {
    const encoder = new TextEncoder();
    const parts: Uint8Array[] = [];
    for (let start = 0; start < list.length; start += STRINGS_SLICE) {
      const slice = list.slice(start, start + STRINGS_SLICE);
      if (slice.some((item) => item.includes(SEPARATOR))) throw new Error('serializeIndex: a term or paper id contains a NUL character');
      parts.push(encoder.encode((start > 0 ? SEPARATOR : '') + slice.join(SEPARATOR)));
      yield PAUSE;
    }
    yield* this.sectionOf(parts);
  }
}

function padding(offset: number): number {
  return (ALIGN - (offset % ALIGN)) % ALIGN;
}

/** Reads the layout's parts in order, from bytes in memory or from a file. */
abstract class Reader {
  protected at = 0;
  protected abstract readonly size: number;

  u32(): number {
    const bytes = this.read(4);
    return new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0, true);
  }

  text(length: number): string {
    return new TextDecoder().decode(this.read(length));
  }

  /** The next section's bytes, on an ALIGN boundary of memory (a view, or a copy that is). */
  section(elementSize = 1): Uint8Array {
    return this.aligned(this.sectionLength(elementSize));
  }

  /** The next section as a typed array of `kind` (a view of the section's aligned bytes). */
  typed<T>(kind: { new (buffer: ArrayBufferLike, offset: number, length: number): T; BYTES_PER_ELEMENT: number }): T {
    const bytes = this.section(kind.BYTES_PER_ELEMENT);
    return new kind(bytes.buffer, bytes.byteOffset, bytes.byteLength / kind.BYTES_PER_ELEMENT);
  }

  strings(count: number): string[] {
    const joined = new TextDecoder().decode(this.section());
    const list = count === 0 ? [] : joined.split(SEPARATOR);
    if (list.length !== count) throw new Error('loadIndex: a word list of the index has the wrong length (corrupt index?)');
    return list;
  }

  /** The last section (the packed papers), which must end the bytes: in memory, or left in the file. */
  lastSection(): Uint8Array | FilePage {
    const length = this.sectionLength(1);
    if (this.at + length !== this.size) throw new Error('loadIndex: unexpected bytes after the index (corrupt index?)');
    return this.leave(length);
  }

  private sectionLength(elementSize: number): number {
    const length = this.u32();
    this.read(padding(this.at));
    this.need(length);
    if (length % elementSize !== 0) throw new Error('loadIndex: a section of the index has a bad length (corrupt index?)');
    return length;
  }

  protected need(length: number): void {
    if (this.at + length > this.size) throw new Error('loadIndex: the index bytes end early (truncated?)');
  }

  /** The next `length` bytes, anywhere in memory. */
  protected abstract read(length: number): Uint8Array;
  protected abstract aligned(length: number): Uint8Array;
  protected abstract leave(length: number): Uint8Array | FilePage;
}

class BytesReader extends Reader {
  protected readonly size: number;

  constructor(private readonly bytes: Uint8Array) {
    super();
    this.size = bytes.byteLength;
  }

  protected read(length: number): Uint8Array {
    this.need(length);
    const bytes = this.bytes.subarray(this.at, this.at + length);
    this.at += length;
    return bytes;
  }

  protected aligned(length: number): Uint8Array {
    const bytes = this.read(length);
    return bytes.byteOffset % ALIGN === 0 ? bytes : bytes.slice();
  }

  protected leave(length: number): Uint8Array {
    return this.aligned(length);
  }
}

/** Reads each section into memory of its own (aligned, as a new buffer is); leaves the last in the file. */
class FileReader extends Reader {
  protected readonly size: number;
  private readonly fd: number;

  constructor(file: string) {
    super();
    this.fd = openSync(file, 'r');
    this.size = fstatSync(this.fd).size;
  }

  protected read(length: number): Uint8Array {
    this.need(length);
    // A buffer of its own is aligned for any typed array.
    const bytes = readAt(this.fd, new Uint8Array(length), this.at);
    this.at += length;
    return bytes;
  }

  protected aligned(length: number): Uint8Array {
    return this.read(length);
  }

  /** The page left in the file, which owns the descriptor once the index is made. */
  page: FilePage | undefined;

  protected leave(length: number): FilePage {
    this.page = new FilePage(this.fd, this.at, length);
    this.at += length;
    return this.page;
  }

  close(): void {
    closeSync(this.fd);
  }
}
