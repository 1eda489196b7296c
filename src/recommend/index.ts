export { learnTaste, rankByTaste, NO_SIGNALS, type Clue, type Signals, type Vote } from './taste.js';
export { popularity, featuresFor } from './popularity.js';
export { interestsOf, learnedInterestsOf, recommendFor, type Recommendations } from './for-channel.js';
