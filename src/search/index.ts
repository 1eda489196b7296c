export { buildIndex, type FuzzyMode, type IndexOptions } from './paper-index.js';
export { SYNONYMS } from './synonyms.js';
export type { PaperIndex, SearchHit, SearchOptions } from './types.js';
