/**
 * Index variants: the analysis and scoring switches (stop words, compounds, folding, field
 * scoring, coordination, prefix search, BM25 parameters, field boosts, repeated words, typo mode,
 * acronym mining), for bench/quality.ts to measure each part against the default and for tests
 * that pin a plain computation. The application does not import this module: it builds with
 * `buildIndex` (index.ts), whose only options are the prior and the clock.
 */
export { buildVariantIndex, type VariantOptions } from './paper-index.js';
export { loadVariantIndex } from './serialize.js';
