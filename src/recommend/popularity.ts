import type { Paper } from '../papers/paper.js';
import type { PaperIndex } from '../search/types.js';
import { TextFeatures } from './features.js';

/** 0..1 from trending rank (half the weight) and upvotes on a log scale against the day's best (the other half). */
export function popularity(paper: Paper, maxUpvotes: number): number {
  const rank = paper.trending?.rank ?? 100;
  return 0.5 / (1 + (rank - 1) / 5) + (0.5 * Math.log1p(paper.upvotes)) / Math.log1p(Math.max(1, maxUpvotes));
}

const shared = new WeakMap<PaperIndex, TextFeatures>();

/**
 * One TextFeatures per live index, shared by every channel: a paper is analysed once, and document
 * frequencies grow with the papers ranked and voted on.
 */
export function featuresFor(index: PaperIndex): TextFeatures {
  let features = shared.get(index);
  if (!features) {
    features = new TextFeatures();
    shared.set(index, features);
  }
  return features;
}
