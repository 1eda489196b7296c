export { TextFeatures, type SparseVector } from './features.js';
export { learnTaste, learnedInterests, modelShare, rankByTaste, NO_SIGNALS, type Clue, type RankedPaper, type Signals, type Taste, type Vote } from './taste.js';
export { popularity, featuresFor } from './popularity.js';
export { interestsOf, recommendFor, RECOMMEND_DAYS, type Recommendation, type Recommendations } from './for-channel.js';
