export { buildIndex, type IndexOptions } from './paper-index.js';
export { loadIndex, serializeIndex } from './serialize.js';
export type { PaperIndex } from './types.js';
