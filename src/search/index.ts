export { buildIndex, type FuzzyMode, type IndexOptions } from './paper-index.js';
export { FORMAT_VERSION, loadIndex, serializeIndex } from './serialize.js';
export { SYNONYMS } from './synonyms.js';
export type { PaperIndex, SearchHit, SearchOptions } from './types.js';
export { RELEVANCE_FLOOR, wellMatched } from './relevance-floor.js';
