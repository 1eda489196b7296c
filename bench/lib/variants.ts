import { EXTENDED_STOP_WORDS } from '../../src/search/stop-words.js';
import type { VariantOptions } from '../../src/search/variants.js';

/**
 * The default index and one change at a time, for bench/quality.ts: what each part of the
 * analysis and scoring is worth. None of these is used by the application.
 */
export const VARIANTS: [string, VariantOptions][] = [
  ['default', {}],
  ['no synonyms (hand table)', { synonyms: false }],
  ['corpus acronyms ignored (no contradiction check)', { corpusAcronyms: 'off' }],
  ['corpus acronyms also expanded (short -> long)', { corpusAcronyms: 'expand' }],
  ['fuzzy off', { fuzzy: 'off' }],
  ['fuzzy always (len >= 4)', { fuzzy: 'always' }],
  ['no stop words', { stopWords: null }],
  ['extended stop words (136)', { stopWords: EXTENDED_STOP_WORDS }],
  ['no folding (α stays α, ï stays ï)', { fold: false }],
  ['compounds: parts only', { compounds: 'split' }],
  ['compounds: joined only', { compounds: 'join' }],
  ['prefix search on', { prefix: true }],
  ['coordination (x parts matched, MiniSearch)', { coordination: true }],
  ['BM25+ d=0.5 (MiniSearch default)', { bm25: { k: 1.2, b: 0.7, d: 0.5 } }],
  ['BM25 k0.9 b0.4 (Anserini)', { bm25: { k: 0.9, b: 0.4, d: 0 } }],
  ['title 1, b 0.75 (before the train grid)', { boost: { title: 1 }, bm25: { k: 1.2, b: 0.75, d: 0 } }],
  ['title boost 1 (b 0.6)', { boost: { title: 1 } }],
  ['b 0.75 (title 3)', { bm25: { k: 1.2, b: 0.75, d: 0 } }],
  ['per-field BM25 (MiniSearch) instead of BM25F', { fieldScoring: 'per-field' }],
  ['Lucene field lengths instead of BM25F', { fieldScoring: 'lucene' }],
  ['per-field BM25 with coordination (before)', { fieldScoring: 'per-field', coordination: true }],
  ['repeated query words counted each time', { countRepeats: true }],
  ["contractions split (don't -> don, t, dont)", { contractions: false }],
  ['one-letter lowercase query words dropped', { dropLetters: true }],
  ['typos: every close word searched (before)', { typoCorrection: 'all-close' }],
];
