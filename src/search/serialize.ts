import type { Paper } from '../papers/paper.js';
import {
  analysisFingerprint,
  FIELDS,
  restoreIndex,
  snapshotIndex,
  type IndexOptions,
  type IndexSnapshot,
  type VariantOptions,
} from './paper-index.js';
import type { PaperIndex } from './types.js';

/**
 * A search index as bytes, to load without analysing the papers again.
 *
 * Layout (little-endian): "PBIX", u32 format version, u32 length + JSON header (fields,
 * analysis fingerprint, counts), then sections, each a u32 byte length and its bytes:
 * paper ids, paper text signatures, terms, term surfaces, word forms, the forms' term ids,
 * term document frequencies, field lengths, field token counts, and the postings' offsets,
 * documents and frequencies as raw typed arrays. The index is compacted first (one
 * segment, removed papers dropped, documents renumbered in order), so ranking is unchanged.
 *
 * The papers are not in the bytes; their ids are, in document order. loadIndex maps the
 * papers it is given by id, in any order, and refuses a list that lacks an indexed paper,
 * has one the index lacks, or has one whose text lengths differ from those indexed.
 */
const MAGIC = 'PBIX';
/**
 * Bump on any change to the layout or to how text becomes terms (analyzer.ts).
 * 2: text is folded before analysis (fold.ts), so version 1 terms no longer match queries.
 * 3: contractions lose their clitic ("don't" -> "do"), no longer indexed as "don", "t", "dont";
 *    the header lists the acronyms the papers define.
 */
export const FORMAT_VERSION = 3;
/** Joins string lists; the analyzer's words and paper ids never contain it. */
const SEPARATOR = '\0';

interface Header {
  fields: string[];
  fingerprint: string;
  papers: number;
  terms: number;
  forms: number;
  /** Acronym definitions mined from the papers: [short, long, count]. */
  acronyms: [string, string, number][];
}

export function serializeIndex(index: PaperIndex): Uint8Array {
  requireLittleEndian();
  const snapshot = snapshotIndex(index);
  const { postings } = snapshot;
  const header: Header = {
    fields: [...FIELDS],
    fingerprint: snapshot.fingerprint,
    papers: snapshot.papers.length,
    terms: postings.terms.length,
    forms: snapshot.forms.size,
    acronyms: snapshot.acronyms,
  };
  const writer = new Writer();
  writer.raw(new TextEncoder().encode(MAGIC));
  writer.u32(FORMAT_VERSION);
  writer.section(new TextEncoder().encode(JSON.stringify(header)));
  writer.strings(snapshot.papers.map((paper) => paper.id));
  writer.typed(Uint32Array.from(snapshot.papers, textSignature));
  writer.strings(postings.terms);
  writer.strings(postings.terms.map((term) => sameOrSurface(term, snapshot.surfaces.get(term))));
  writer.strings([...snapshot.forms.keys()]);
  const termIds = new Map(postings.terms.map((term, id) => [term, id]));
  writer.typed(Int32Array.from(snapshot.forms.values(), (term) => termIds.get(term)!));
  for (const array of [postings.termDocFreqs, postings.lengths, postings.tokens, postings.offsets, postings.docs, postings.freqs])
    writer.typed(array);
  return writer.bytes();
}

/** The ids of the papers the bytes index, in document order (to load with them, then upsert the rest). */
export function indexedPaperIds(bytes: Uint8Array, options: IndexOptions = {}): string[] {
  requireLittleEndian();
  const reader = new Reader(bytes);
  return reader.strings(readHeader(reader, options).papers);
}

/**
 * The index serializeIndex wrote, over `papers` (the same papers, any order), with
 * `options` for scoring. Throws if the bytes are of another format version or analysis
 * settings, or the papers are not those indexed.
 */
export function loadIndex(bytes: Uint8Array, papers: Paper[], options: IndexOptions = {}): PaperIndex {
  return loadVariantIndex(bytes, papers, options);
}

/** loadIndex with analysis or scoring switches away from the defaults (see variants.ts). */
export function loadVariantIndex(bytes: Uint8Array, papers: Paper[], options: VariantOptions = {}): PaperIndex {
  requireLittleEndian();
  const reader = new Reader(bytes);
  const header = readHeader(reader, options);
  const ids = reader.strings(header.papers);
  const signatures = new Uint32Array(reader.section(Uint32Array.BYTES_PER_ELEMENT));
  const terms = reader.strings(header.terms);
  const surfaceList = reader.strings(header.terms);
  const formList = reader.strings(header.forms);
  const ints = () => new Int32Array(reader.section(Int32Array.BYTES_PER_ELEMENT));
  const formTerms = ints();
  const postings = {
    fieldCount: FIELDS.length,
    terms,
    termDocFreqs: ints(),
    lengths: ints(),
    tokens: ints(),
    offsets: ints(),
    docs: ints(),
    freqs: new Uint16Array(reader.section(Uint16Array.BYTES_PER_ELEMENT)),
  };
  reader.end();
  checkShape(header, postings, formTerms);
  const snapshot: IndexSnapshot & { surfaces: Map<string, string>; forms: Map<string, string> } = {
    fingerprint: header.fingerprint,
    papers: papersInOrder(ids, signatures, papers),
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
  const header = JSON.parse(new TextDecoder().decode(reader.section(1))) as Header;
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

/** The papers by document number; refuses a list that is not the indexed papers. */
function papersInOrder(ids: string[], signatures: Uint32Array, papers: Paper[]): Paper[] {
  const byId = new Map(papers.map((paper) => [paper.id, paper]));
  const missing = ids.filter((id) => !byId.has(id));
  if (missing.length > 0)
    throw new Error(`loadIndex: ${missing.length} indexed papers are not among the papers given (${sample(missing)}); rebuild the index`);
  if (byId.size !== ids.length) {
    const indexed = new Set(ids);
    const extra = [...byId.keys()].filter((id) => !indexed.has(id));
    throw new Error(
      `loadIndex: ${extra.length} papers given are not in the index (${sample(extra)}); load with the indexed papers, then upsert these`,
    );
  }
  return ids.map((id, doc) => {
    const paper = byId.get(id)!;
    if (textSignature(paper) !== signatures[doc]) {
      throw new Error(`loadIndex: the text of paper ${id} differs from the text indexed; rebuild the index`);
    }
    return paper;
  });
}

/** Catches a corrupt index before it indexes out of bounds. */
function checkShape(header: Header, postings: Omit<IndexSnapshot['postings'], 'fieldCount'>, formTerms: Int32Array): void {
  const fields = FIELDS.length;
  const consistent =
    postings.termDocFreqs.length === header.terms &&
    postings.lengths.length === header.papers * fields &&
    postings.tokens.length === header.papers * fields &&
    postings.offsets.length >= 1 &&
    postings.offsets.length <= header.terms * fields + 1 &&
    postings.docs.length === postings.freqs.length &&
    postings.offsets.at(-1) === postings.docs.length &&
    formTerms.length === header.forms &&
    formTerms.every((id) => id >= 0 && id < header.terms);
  if (!consistent) throw new Error('loadIndex: the index bytes are inconsistent (corrupt or truncated?); rebuild the index');
}

/**
 * Cheap evidence that a paper's text is what was indexed: a hash of the lengths of the
 * analysed fields. Hashing the text itself would cost a good part of analysing it.
 */
function textSignature(paper: Paper): number {
  let hash = 0x811c9dc5;
  for (const length of [paper.title.length, paper.abstract.length, joinedLength(paper.authors), joinedLength(paper.keywords)]) {
    hash = Math.imul(hash ^ length, 0x01000193);
  }
  return hash >>> 0;
}

function joinedLength(words: string[]): number {
  return words.reduce((sum, word) => sum + word.length + 1, 0);
}

/** The surface, or '' when it is the term itself (common, and it saves the bytes). */
function sameOrSurface(term: string, surface: string | undefined): string {
  return surface === undefined || surface === term ? '' : surface;
}

function sample(ids: string[]): string {
  return ids.slice(0, 3).join(', ') + (ids.length > 3 ? ', ...' : '');
}

function requireLittleEndian(): void {
  if (new Uint8Array(Uint16Array.of(1).buffer)[0] !== 1) throw new Error('serialized indexes are little-endian; this platform is not');
}

class Writer {
  private readonly chunks: Uint8Array[] = [];

  raw(bytes: Uint8Array): void {
    this.chunks.push(bytes);
  }

  u32(value: number): void {
    const bytes = new Uint8Array(4);
    new DataView(bytes.buffer).setUint32(0, value, true);
    this.chunks.push(bytes);
  }

  section(bytes: Uint8Array): void {
    this.u32(bytes.byteLength);
    this.chunks.push(bytes);
  }

  typed(array: Int32Array | Uint32Array | Uint16Array): void {
    this.section(new Uint8Array(array.buffer, array.byteOffset, array.byteLength));
  }

  strings(list: string[]): void {
    if (list.some((item) => item.includes(SEPARATOR))) throw new Error('serializeIndex: a term or paper id contains a NUL character');
    this.section(new TextEncoder().encode(list.join(SEPARATOR)));
  }

  bytes(): Uint8Array {
    const out = new Uint8Array(this.chunks.reduce((sum, chunk) => sum + chunk.byteLength, 0));
    let at = 0;
    for (const chunk of this.chunks) {
      out.set(chunk, at);
      at += chunk.byteLength;
    }
    return out;
  }
}

class Reader {
  private at = 0;
  private readonly view: DataView;

  constructor(private readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  u32(): number {
    this.need(4);
    const value = this.view.getUint32(this.at, true);
    this.at += 4;
    return value;
  }

  text(length: number): string {
    this.need(length);
    const text = new TextDecoder().decode(this.bytes.subarray(this.at, this.at + length));
    this.at += length;
    return text;
  }

  /** The next section's bytes, copied (so the index shares no memory with the input) and aligned for `elementSize`. */
  section(elementSize: number): ArrayBuffer {
    const length = this.u32();
    this.need(length);
    if (length % elementSize !== 0) throw new Error('loadIndex: a section of the index has a bad length (corrupt index?)');
    const start = this.bytes.byteOffset + this.at;
    this.at += length;
    return this.bytes.buffer.slice(start, start + length) as ArrayBuffer;
  }

  strings(count: number): string[] {
    const joined = new TextDecoder().decode(this.section(1));
    const list = count === 0 ? [] : joined.split(SEPARATOR);
    if (list.length !== count) throw new Error('loadIndex: a word list of the index has the wrong length (corrupt index?)');
    return list;
  }

  end(): void {
    if (this.at !== this.bytes.byteLength) throw new Error('loadIndex: unexpected bytes after the index (corrupt index?)');
  }

  private need(length: number): void {
    if (this.at + length > this.bytes.byteLength) throw new Error('loadIndex: the index bytes end early (truncated?)');
  }
}
