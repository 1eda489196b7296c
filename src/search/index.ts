export { buildIndex, type IndexOptions } from './paper-index.js';
export { RELEVANCE_FLOOR, wellMatched } from './relevance-floor.js';
export { loadIndex, serializeIndex } from './serialize.js';
export type { PaperIndex } from './types.js';
