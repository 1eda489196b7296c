import { describe, expect, it } from 'vitest';
import { loadCorpus } from '../../src/papers/corpus.js';
import type { Paper } from '../../src/papers/paper.js';
import { DEFAULT_CORPUS } from '../../src/paths.js';
import { PackedPapers } from '../../src/search/packed-papers.js';

const seed = loadCorpus(DEFAULT_CORPUS).papers;

/** A paper with a long, unrepetitive abstract (as incompressible as text gets), `n` making it unique. */
function bulky(n: number): Paper {
  let state = n + 1;
  const word = () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state.toString(36);
  };
  return { ...seed[0]!, id: `bulky-${n}`, abstract: Array.from({ length: 1_200 }, word).join(' ') };
}

describe('PackedPapers', () => {
  it('gives back every paper field for field, and nothing for a document without one', () => {
    const packed = new PackedPapers();
    seed.forEach((paper, doc) => packed.set(doc, paper));
    seed.forEach((paper, doc) => expect(packed.get(doc)).toEqual(paper));
    expect(packed.get(seed.length)).toBeUndefined();
    expect(packed.get(10_000)).toBeUndefined();
    // Packed: well under the papers' JSON.
    const json = seed.reduce((sum, paper) => sum + Buffer.byteLength(JSON.stringify(paper)), 0);
    expect(packed.byteLength).toBeLessThan(json * 0.7);
  });

  it('replaces and deletes, and restores what a frozen copy wrote in the order asked, whatever came after', () => {
    const packed = new PackedPapers();
    seed.slice(0, 5).forEach((paper, doc) => packed.set(doc, paper));
    packed.set(2, seed[9]!);
    packed.delete(3);
    expect(packed.get(2)).toEqual(seed[9]);
    expect(packed.get(3)).toBeUndefined();
    expect(() => packed.frozen().lengths([0, 3])).toThrow(/holds no paper/);

    const frozen = packed.frozen();
    // What happens after the freeze is not in what it writes.
    packed.set(2, seed[11]!);
    packed.delete(4);
    const lengths = frozen.lengths([4, 2, 0]);
    const chunks = [...frozen.chunks([4, 2, 0])];
    // Chunks of any size give the same bytes, a paper split across two when it must be.
    const small = [...frozen.chunks([4, 2, 0], 100)];
    expect(small.slice(0, -1).every((chunk) => chunk.byteLength === 100)).toBe(true);
    expect(Buffer.concat(small).equals(Buffer.concat(chunks))).toBe(true);
    const restored = PackedPapers.restore(lengths, Buffer.concat(chunks));
    expect([0, 1, 2].map((doc) => restored.get(doc))).toEqual([seed[4], seed[9], seed[0]]);
    // A restored set takes new papers after its adopted bytes, and replaces old ones.
    restored.set(3, seed[7]!);
    restored.set(0, seed[8]!);
    expect([0, 1, 2, 3].map((doc) => restored.get(doc))).toEqual([seed[8], seed[9], seed[0], seed[7]]);
    expect(() => PackedPapers.restore(lengths, Buffer.concat(chunks).subarray(1))).toThrow(/do not add up/);
  });

  it('reclaims the bytes of replaced papers once they outweigh the live ones, keeping every live paper', () => {
    const packed = new PackedPapers();
    // About 5 KB packed each: 40 MB of replacements passes the reclaim threshold several times.
    for (let round = 0; round < 8; round++) for (let doc = 0; doc < 1_000; doc++) packed.set(doc, bulky(round * 1_000 + doc));
    const live = packed.byteLength;
    expect(live).toBeGreaterThan(4 * 2 ** 20);
    for (let doc = 0; doc < 1_000; doc += 97) expect(packed.get(doc)).toEqual(bulky(7_000 + doc));
    // Without reclaiming, the pages would hold all 8 rounds (over 40 MB); with it, the live papers plus
    // at most the 16 MB of replaced ones that trigger it and a part-filled 8 MB page.
    const held = (packed as unknown as { pages: Uint8Array[] }).pages.reduce((sum, page) => sum + page.byteLength, 0);
    expect(live * 8).toBeGreaterThan(40 * 2 ** 20);
    expect(held).toBeLessThan(live + 26 * 2 ** 20);
  });
});
