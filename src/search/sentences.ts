// Words that end with a dot without ending a sentence (compared lowercased, without the dot).
const ABBREVIATIONS = new Set([
  'e.g',
  'i.e',
  'al',
  'vs',
  'cf',
  'fig',
  'figs',
  'eq',
  'eqs',
  'sec',
  'ref',
  'refs',
  'approx',
  'resp',
  'viz',
  'a.k.a',
  'no',
  'nos',
  'vol',
  'pp',
  'dr',
  'mr',
  'mrs',
  'ms',
  'prof',
  'st',
  'etc',
]);

// Sentence-ending punctuation, closing quotes or brackets, then white space. The look-behind
// starts a match only at the first mark of a run, so that a long run of dots is scanned once
// rather than once from each of its dots (quadratic on hostile abstracts).
const BOUNDARY = /(?<![.!?])[.!?]+["'”’)\]]*\s+/g;
// What may start the next sentence.
const OPENER = /[\p{Lu}\p{N}"“'‘([]/u;

/**
 * Splits prose into sentences without cutting at "e.g.", "et al.", "Fig. 2", initials
 * ("J. Smith") or decimals ("0.5").
 */
export function splitSentences(text: string): string[] {
  const sentences: string[] = [];
  let start = 0;
  for (const match of text.matchAll(BOUNDARY)) {
    const end = match.index + match[0].length;
    if (end >= text.length || !OPENER.test(text[end]!)) continue;
    if (match[0][0] === '.' && isAbbreviation(lastWord(text, start, match.index))) continue;
    pushTrimmed(sentences, text.slice(start, end));
    start = end;
  }
  pushTrimmed(sentences, text.slice(start));
  return sentences;
}

/**
 * The word that ends at `end` (not before `start`), found by walking back to white space: each
 * boundary follows white space, so the walks never overlap and the split stays linear (a regular
 * expression such as /(\S+)$/ over the text so far would rescan it at every boundary).
 */
function lastWord(text: string, start: number, end: number): string {
  let from = end;
  while (from > start && !/\s/.test(text[from - 1]!)) from--;
  return text.slice(from, end);
}

function isAbbreviation(lastWordBefore: string): boolean {
  const word = lastWordBefore.replace(/^[("'“‘[]+/, '');
  if (!word) return false;
  const lower = word.toLowerCase();
  if (ABBREVIATIONS.has(lower)) return true;
  // An initial ("J.") or a dotted abbreviation ("U.S.").
  return /^\p{Lu}$/u.test(word) || /^\p{L}(\.\p{L})+$/u.test(word);
}

function pushTrimmed(into: string[], sentence: string): void {
  const trimmed = sentence.trim();
  if (trimmed) into.push(trimmed);
}
