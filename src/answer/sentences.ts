/** Words that end in a full stop without ending a sentence. */
const ABBREVIATION = /\b(?:e\.g|i\.e|et al|etc|vs|cf|fig|figs|eq|eqs|sec|no|approx|resp|dr|mr|ms|prof|inc|ltd)\.$/i;
/** An initial, as in "J. Smith". */
const INITIAL = /(?:^|\s)\p{Lu}\.$/u;

/**
 * Splits prose into sentences: on . ! ? followed by space and a capital, digit, quote or bracket,
 * keeping abbreviations (e.g., et al., Fig.), decimals (3.5) and initials (J. Smith) whole.
 */
export function splitSentences(text: string): string[] {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (!flat) return [];
  const pieces = flat.split(/(?<=[.!?]["')\]]?)\s+(?=["'(\[]?[\p{Lu}\p{N}])/u);
  const sentences: string[] = [];
  for (const piece of pieces) {
    const previous = sentences[sentences.length - 1];
    if (previous !== undefined && (ABBREVIATION.test(previous) || INITIAL.test(previous))) sentences[sentences.length - 1] = `${previous} ${piece}`;
    else sentences.push(piece);
  }
  return sentences.map((sentence) => sentence.trim()).filter(Boolean);
}

/** The text cut to at most `max` words, marked with an ellipsis when cut. */
export function limitWords(text: string, max: number): string {
  const all = text.trim().split(/\s+/);
  if (all.length <= max) return text.trim();
  return `${all.slice(0, max).join(' ').replace(/[,;:.!?-]+$/, '')}…`;
}
