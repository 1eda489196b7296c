import type { Analyzer } from './analyzer.js';
import { splitSentences } from './sentences.js';

/**
 * The sentence of `text` whose distinct terms carry the most weight (the first on a tie,
 * the opening sentence when none matches). Weights are per index term, e.g. idf.
 */
export function bestSentence(text: string, weights: ReadonlyMap<string, number>, analyzer: Analyzer): string {
  const sentences = splitSentences(text);
  let best = sentences[0] ?? '';
  let bestScore = 0;
  for (const sentence of sentences) {
    let score = 0;
    for (const term of new Set(analyzer.terms(sentence))) score += weights.get(term) ?? 0;
    if (score > bestScore) {
      best = sentence;
      bestScore = score;
    }
  }
  return best;
}
