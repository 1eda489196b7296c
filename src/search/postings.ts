import { lowerBound } from './int-list.js';
import { TypoIndex } from './typo-index.js';

/**
 * A compact inverted index: for every (term, field) pair, the documents containing the
 * term in that field, ascending, with the term's frequency there. Documents are numbered
 * in the order they arrive. Each added batch becomes an immutable segment of flat typed
 * arrays; removal only marks a document dead. Segments are merged log-structured (a
 * newer segment at least half the size of the one before it is merged into it), and
 * merging drops the postings of dead documents.
 */
export class Postings {
  readonly fieldCount: number;
  /** Every term ever indexed, for typo lookups (a term's index there is its id). */
  readonly typos = new TypoIndex();
  private readonly termIds = new Map<string, number>();
  private segments: Segment[] = [];
  /** Per list (termId * fieldCount + field): live documents with the term in the field. */
  private listDocFreqs = new Int32Array(1024);
  /** Per term: live documents with the term in any field. */
  private termDocFreqs = new Int32Array(256);
  /** Per term: 1 + the last document counted in termDocFreqs. */
  private lastDocs = new Int32Array(256);
  /** Per document and field: distinct terms, MiniSearch's field length. */
  private lengths: Int32Array;
  /** Per document and field: all terms, repeats included (Lucene's and BM25F's field length). */
  private tokens: Int32Array;
  private alive = new Uint8Array(256);
  private readonly lengthTotals: Float64Array;
  private readonly tokenTotals: Float64Array;
  private liveDocs = 0;
  private docs = 0;

  constructor(fieldCount: number) {
    this.fieldCount = fieldCount;
    this.lengths = new Int32Array(256 * fieldCount);
    this.tokens = new Int32Array(256 * fieldCount);
    this.lengthTotals = new Float64Array(fieldCount);
    this.tokenTotals = new Float64Array(fieldCount);
  }

  /** Live documents. */
  get documentCount(): number {
    return this.liveDocs;
  }

  /** One more than the highest document number handed out. */
  get documentSpan(): number {
    return this.docs;
  }

  /** The live flags by document number (1 = live), valid until the next add. */
  get live(): Uint8Array {
    return this.alive;
  }

  /** Field lengths by document * fieldCount + field, valid until the next add. */
  get fieldLengths(): Int32Array {
    return this.lengths;
  }

  /** Terms (repeats included) by document * fieldCount + field, valid until the next add. */
  get fieldTokenCounts(): Int32Array {
    return this.tokens;
  }

  averageTokenCount(field: number): number {
    return this.liveDocs === 0 ? 0 : this.tokenTotals[field]! / this.liveDocs;
  }

  termId(term: string): number | undefined {
    return this.termIds.get(term);
  }

  /**
   * The terms that start with `prefix` (itself included), with their ids. A scan of every term:
   * prefix search is a measured variant, never the application's default.
   */
  *termsStartingWith(prefix: string): Generator<[string, number]> {
    for (const entry of this.termIds) if (entry[0].startsWith(prefix)) yield entry;
  }

  /** Live documents with the term in the field. */
  docFreq(termId: number, field: number): number {
    return this.listDocFreqs[termId * this.fieldCount + field] ?? 0;
  }

  /** Live documents with the term in any field. */
  termDocFreq(termId: number): number {
    return this.termDocFreqs[termId] ?? 0;
  }

  /** True when a live document has the term in any field. */
  occurs(termId: number): boolean {
    return this.termDocFreq(termId) > 0;
  }

  fieldLength(doc: number, field: number): number {
    return this.lengths[doc * this.fieldCount + field]!;
  }

  averageFieldLength(field: number): number {
    return this.liveDocs === 0 ? 0 : this.lengthTotals[field]! / this.liveDocs;
  }

  /**
   * Indexes documents, each given as its analyzed terms per field (in field order), as
   * one new segment. Returns their document numbers.
   */
  add(documents: Iterable<readonly (readonly string[])[]>): number[] {
    const builder = new SegmentBuilder(this.fieldCount, this.docs);
    const numbers: number[] = [];
    for (const fields of documents) {
      const doc = this.docs++;
      this.ensureDocCapacity(this.docs);
      this.alive[doc] = 1;
      this.liveDocs += 1;
      fields.forEach((terms, field) => {
        const ids = terms.map((term) => this.intern(term));
        const distinct = builder.addField(field, ids);
        this.lengths[doc * this.fieldCount + field] = distinct;
        this.lengthTotals[field]! += distinct;
        this.tokens[doc * this.fieldCount + field] = terms.length;
        this.tokenTotals[field]! += terms.length;
        for (const id of ids) {
          if (this.lastDocs[id] === doc + 1) continue;
          this.lastDocs[id] = doc + 1;
          this.termDocFreqs[id]! += 1;
        }
      });
      builder.endDocument();
      numbers.push(doc);
    }
    const segment = builder.build(this.termIds.size * this.fieldCount, this.listDocFreqs);
    if (segment.docs.length > 0) this.segments.push(segment);
    this.mergeSmallSegments();
    return numbers;
  }

  /** Marks a document dead; `fields` must be the terms it was added with. */
  remove(doc: number, fields: readonly (readonly string[])[]): void {
    if (!this.alive[doc]) return;
    this.alive[doc] = 0;
    this.liveDocs -= 1;
    const segment = this.segments.find(({ firstDoc, endDoc }) => doc >= firstDoc && doc < endDoc);
    if (segment) segment.dead += 1;
    fields.forEach((terms, field) => {
      this.lengthTotals[field]! -= this.fieldLength(doc, field);
      this.tokenTotals[field]! -= this.tokens[doc * this.fieldCount + field]!;
      for (const term of new Set(terms)) this.listDocFreqs[this.termIds.get(term)! * this.fieldCount + field]! -= 1;
    });
    for (const term of new Set(fields.flat())) this.termDocFreqs[this.termIds.get(term)!]! -= 1;
    // Dead postings cost scoring time; dropping them costs a pass over all postings.
    const dead = this.segments.reduce((sum, { dead }) => sum + dead, 0);
    if (dead * 4 > this.liveDocs) this.mergeAll();
  }

  /** Calls `visit` with each segment's slice of the (term, field) list; dead documents included. */
  forEachSlice(termId: number, field: number, visit: (docs: Int32Array, freqs: Uint16Array, start: number, end: number) => void): void {
    const list = termId * this.fieldCount + field;
    for (const { offsets, docs, freqs } of this.segments) {
      if (list + 1 >= offsets.length) continue;
      const start = offsets[list]!;
      const end = offsets[list + 1]!;
      if (start < end) visit(docs, freqs, start, end);
    }
  }

  /** True when the live document has the term in any field. */
  contains(termId: number, doc: number): boolean {
    if (!this.alive[doc]) return false;
    for (let field = 0; field < this.fieldCount; field++) {
      const list = termId * this.fieldCount + field;
      for (const { offsets, docs, firstDoc, endDoc } of this.segments) {
        if (doc < firstDoc || doc >= endDoc || list + 1 >= offsets.length) continue;
        if (binarySearch(docs, offsets[list]!, offsets[list + 1]!, doc)) return true;
      }
    }
    return false;
  }

  /**
   * The postings as one segment of live documents only, renumbered 0..n-1 in their
   * order (so every list stays sorted and documents are met in the same order).
   */
  compacted(): CompactPostings {
    return drain(this.frozen().compact());
  }

  /**
   * The postings as they stand now, to compact later while documents keep arriving (a snapshot
   * saved without stopping search): segments never change once built, and what later adds and
   * removals change (the live flags, the term list) is copied here.
   */
  frozen(): FrozenPostings {
    const span = this.docs;
    const fields = this.fieldCount;
    return new FrozenPostings({
      fieldCount: fields,
      segments: [...this.segments],
      alive: this.alive.slice(0, span),
      liveCount: this.liveDocs,
      lengths: this.lengths.subarray(0, span * fields),
      tokens: this.tokens.subarray(0, span * fields),
      terms: [...this.termIds.keys()],
      termDocFreqs: this.termDocFreqs.slice(0, this.termIds.size),
    });
  }

  /** Postings holding exactly what `compacted` returned (documents numbered from 0). */
  static fromCompacted(compact: Omit<CompactPostings, 'liveDocs'>): Postings {
    const { fieldCount, terms, offsets, docs, freqs } = compact;
    const postings = new Postings(fieldCount);
    for (const term of terms) postings.intern(term);
    const documents = compact.lengths.length / fieldCount;
    if (documents > 0) postings.segments.push({ offsets, docs, freqs, firstDoc: 0, endDoc: documents, dead: 0 });
    for (let list = 0; list + 1 < offsets.length; list++) postings.listDocFreqs[list] = offsets[list + 1]! - offsets[list]!;
    postings.termDocFreqs.set(compact.termDocFreqs);
    postings.ensureDocCapacity(documents);
    postings.lengths.set(compact.lengths);
    postings.tokens.set(compact.tokens);
    postings.alive.fill(1, 0, documents);
    for (let i = 0; i < compact.lengths.length; i++) {
      postings.lengthTotals[i % fieldCount]! += compact.lengths[i]!;
      postings.tokenTotals[i % fieldCount]! += compact.tokens[i]!;
    }
    postings.docs = documents;
    postings.liveDocs = documents;
    return postings;
  }

  private intern(term: string): number {
    let id = this.termIds.get(term);
    if (id === undefined) {
      id = this.termIds.size;
      this.termIds.set(term, id);
      this.typos.add(term);
      const needed = (id + 1) * this.fieldCount;
      if (needed > this.listDocFreqs.length) this.listDocFreqs = grown(this.listDocFreqs, needed);
      if (id >= this.termDocFreqs.length) {
        this.termDocFreqs = grown(this.termDocFreqs, id + 1);
        this.lastDocs = grown(this.lastDocs, id + 1);
      }
    }
    return id;
  }

  private ensureDocCapacity(docs: number): void {
    if (docs > this.alive.length) this.alive = grown(this.alive, docs);
    if (docs * this.fieldCount > this.lengths.length) {
      this.lengths = grown(this.lengths, docs * this.fieldCount);
      this.tokens = grown(this.tokens, docs * this.fieldCount);
    }
  }

  private mergeSmallSegments(): void {
    const { segments } = this;
    while (segments.length >= 2 && segments.at(-1)!.docs.length * 2 >= segments.at(-2)!.docs.length) {
      const last = segments.pop()!;
      const before = segments.pop()!;
      segments.push(this.merge([before, last]));
    }
  }

  private mergeAll(): void {
    if (this.segments.length > 0) this.segments = [this.merge(this.segments)];
  }

  /** One segment with the postings of consecutive segments, dead documents left out. */
  private merge(parts: Segment[]): Segment {
    const { offsets, docs, freqs } = drain(mergeSlices(parts, this.alive));
    return { offsets, docs, freqs, firstDoc: parts[0]!.firstDoc, endDoc: parts.at(-1)!.endDoc, dead: 0 };
  }
}

/** Postings as Postings.frozen() took them; compact() yields between slices of its work. */
export class FrozenPostings {
  constructor(
    private readonly state: {
      fieldCount: number;
      segments: Segment[];
      alive: Uint8Array;
      liveCount: number;
      lengths: Int32Array;
      tokens: Int32Array;
      terms: string[];
      termDocFreqs: Int32Array;
    },
  ) {}

  /** What Postings.compacted() returns, computed a slice at a time (a yield after each). */
  *compact(): Generator<void, CompactPostings> {
    const { fieldCount, alive, segments } = this.state;
    const renumber = new Int32Array(alive.length).fill(-1);
    const liveDocs = new Int32Array(this.state.liveCount);
    for (let doc = 0, next = 0; doc < alive.length; doc++) {
      if (!alive[doc]) continue;
      renumber[doc] = next;
      liveDocs[next++] = doc;
    }
    yield;
    const merged = segments.length > 0 ? yield* mergeSlices(segments, alive, renumber) : emptySegment();
    const lengths = perLiveDoc(this.state.lengths, liveDocs, fieldCount);
    yield;
    const tokens = perLiveDoc(this.state.tokens, liveDocs, fieldCount);
    yield;
    return {
      fieldCount,
      liveDocs,
      terms: this.state.terms,
      termDocFreqs: this.state.termDocFreqs,
      lengths,
      tokens,
      offsets: merged.offsets,
      docs: merged.docs,
      freqs: merged.freqs,
    };
  }
}

/** Postings copied between two yields of mergeSlices: a few milliseconds' work. */
const MERGE_SLICE = 1 << 20;

/**
 * The postings of consecutive segments as one, dead documents left out and, with `renumber`, the
 * documents renumbered; yields after every MERGE_SLICE postings or so.
 */
function* mergeSlices(
  parts: Segment[],
  alive: Uint8Array,
  renumber?: Int32Array,
): Generator<void, Pick<Segment, 'offsets' | 'docs' | 'freqs'>> {
  const lists = Math.max(...parts.map((part) => part.offsets.length - 1));
  const total = parts.reduce((sum, part) => sum + part.docs.length, 0);
  const offsets = new Int32Array(lists + 1);
  const docs = new Int32Array(total);
  const freqs = new Uint16Array(total);
  let at = 0;
  let sliceEnd = MERGE_SLICE;
  for (let list = 0; list < lists; list++) {
    offsets[list] = at;
    for (const part of parts) {
      if (list + 1 >= part.offsets.length) continue;
      for (let i = part.offsets[list]!; i < part.offsets[list + 1]!; i++) {
        const doc = part.docs[i]!;
        if (!alive[doc]) continue;
        docs[at] = renumber ? renumber[doc]! : doc;
        freqs[at] = part.freqs[i]!;
        at++;
      }
    }
    if (at >= sliceEnd) {
      sliceEnd = at + MERGE_SLICE;
      yield;
    }
  }
  offsets[lists] = at;
  // A view when nothing was dropped (the usual case); a copy only to free a large dead part.
  const keep = <T extends Int32Array | Uint16Array>(array: T): T => (at === total ? array : (array.slice(0, at) as T));
  return { offsets, docs: keep(docs), freqs: keep(freqs) };
}

/** Runs a sliced computation to its end at once. */
export function drain<T>(steps: Generator<unknown, T>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** The postings of live documents as one segment, documents renumbered from 0. */
export interface CompactPostings {
  fieldCount: number;
  /** The old document number of each new one. */
  liveDocs: Int32Array;
  /** Every term ever indexed, by term id (terms of removed documents included). */
  terms: string[];
  termDocFreqs: Int32Array;
  /** By new document * fieldCount + field. */
  lengths: Int32Array;
  tokens: Int32Array;
  offsets: Int32Array;
  docs: Int32Array;
  freqs: Uint16Array;
}

function emptySegment(): Segment {
  return { offsets: new Int32Array(1), docs: new Int32Array(0), freqs: new Uint16Array(0), firstDoc: 0, endDoc: 0, dead: 0 };
}

/** The per-document-and-field values of the given documents, in their order. */
function perLiveDoc(values: Int32Array, docs: Int32Array, fieldCount: number): Int32Array {
  const out = new Int32Array(docs.length * fieldCount);
  // A plain loop: a subarray per document costs more than the copy (a million documents: 0.3 s).
  for (let i = 0, at = 0; i < docs.length; i++) {
    const from = docs[i]! * fieldCount;
    for (let field = 0; field < fieldCount; field++) out[at++] = values[from + field]!;
  }
  return out;
}

interface Segment {
  /** Per list id, where its postings start in docs/freqs; one more entry for the end. */
  offsets: Int32Array;
  docs: Int32Array;
  freqs: Uint16Array;
  /** The range of document numbers the segment covers. */
  firstDoc: number;
  endDoc: number;
  /** Its documents removed since it was built. */
  dead: number;
}

/**
 * Collects one batch of documents, then lays their postings out list by list: a counting
 * pass sizes every list, a fill pass writes the documents in order, so lists come out sorted.
 */
class SegmentBuilder {
  private listIds = new Int32Array(4096);
  private listFreqs = new Uint16Array(4096);
  private entries = 0;
  private readonly docEnds: number[] = [];
  private termFreqs = new Int32Array(1024);
  private readonly fieldTerms: number[] = [];

  constructor(
    private readonly fieldCount: number,
    private readonly firstDoc: number,
  ) {}

  /** Records one field of the current document; returns its number of distinct terms. */
  addField(field: number, termIds: readonly number[]): number {
    for (const id of termIds) {
      if (id >= this.termFreqs.length) this.termFreqs = grown(this.termFreqs, id + 1);
      if (this.termFreqs[id]!++ === 0) this.fieldTerms.push(id);
    }
    if (this.entries + this.fieldTerms.length > this.listIds.length) {
      this.listIds = grown(this.listIds, this.entries + this.fieldTerms.length);
      this.listFreqs = grown(this.listFreqs, this.entries + this.fieldTerms.length);
    }
    for (const id of this.fieldTerms) {
      this.listIds[this.entries] = id * this.fieldCount + field;
      this.listFreqs[this.entries] = Math.min(this.termFreqs[id]!, MAX_FREQ);
      this.entries++;
      this.termFreqs[id] = 0;
    }
    const distinct = this.fieldTerms.length;
    this.fieldTerms.length = 0;
    return distinct;
  }

  endDocument(): void {
    this.docEnds.push(this.entries);
  }

  /** The segment; adds each list's documents to `docFreqs` (indexed by list id). */
  build(lists: number, docFreqs: Int32Array): Segment {
    const offsets = new Int32Array(lists + 1);
    for (let i = 0; i < this.entries; i++) offsets[this.listIds[i]! + 1]! += 1;
    for (let list = 0; list < lists; list++) {
      docFreqs[list]! += offsets[list + 1]!;
      offsets[list + 1]! += offsets[list]!;
    }
    const cursor = offsets.slice(0, lists);
    const docs = new Int32Array(this.entries);
    const freqs = new Uint16Array(this.entries);
    let entry = 0;
    this.docEnds.forEach((end, i) => {
      for (; entry < end; entry++) {
        const at = cursor[this.listIds[entry]!]!++;
        docs[at] = this.firstDoc + i;
        freqs[at] = this.listFreqs[entry]!;
      }
    });
    return { offsets, docs, freqs, firstDoc: this.firstDoc, endDoc: this.firstDoc + this.docEnds.length, dead: 0 };
  }
}

const MAX_FREQ = 0xffff;

/** A copy of `array` with room for at least `length` items (doubling, to keep appends cheap). */
function grown<T extends Int32Array | Uint16Array | Uint8Array>(array: T, length: number): T {
  const bigger = new (array.constructor as new (length: number) => T)(Math.max(length, array.length * 2));
  bigger.set(array);
  return bigger;
}

function binarySearch(sorted: Int32Array, start: number, end: number, value: number): boolean {
  const at = lowerBound(sorted, start, end, value);
  return at < end && sorted[at] === value;
}
