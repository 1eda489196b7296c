import { stemmer } from 'stemmer';
import { foldForSearch } from './fold.js';
import { STOP_WORDS } from './stop-words.js';

/** One index or query term, with the word it came from (for display). */
export interface Token {
  term: string;
  surface: string;
}

/**
 * How hyphenated and dotted compounds ("fine-tuning", "IL-6", "Qwen2.5-Math") become terms:
 * `split+join` emits each part and the parts glued together, so "multi-modal" matches
 * "multimodal" and "modal"; `join` emits only the glued form (used to key phrases).
 */
export type CompoundMode = 'split+join' | 'split' | 'join';

export interface AnalyzerOptions {
  stopWords?: ReadonlySet<string> | null;
  compounds?: CompoundMode;
  /** Fold text before splitting it into words (src/search/fold.ts); on by default. */
  fold?: boolean;
  stem?: boolean;
  /** Read "don't" as "do" and "we've" as "we" (their clitics are stop words); on by default. */
  contractions?: boolean;
  /** Leave out a query's one-letter words unless typed as a capital ("vitamin D"). Off by default: it cost Cranfield 0.0006 and SciFact nothing. */
  dropLetters?: boolean;
}

export interface Analyzer {
  tokens(text: string, compounds?: CompoundMode): Token[];
  /** The tokens of a query: as tokens(), without stray one-letter words. */
  queryTokens(text: string): Token[];
  terms(text: string, compounds?: CompoundMode): string[];
}

// A word, possibly joined to more words by hyphens, apostrophes, dots or underscores.
const COMPOUND = /[\p{L}\p{N}]+(?:[-‐‑'’._][\p{L}\p{N}]+)*/gu;
// Dots split a compound unless they sit between digits ("2.5" stays one part).
const SEPARATOR = /[-‐‑'’_]|\.(?!\d)|(?<!\d)\./;
const POSSESSIVE = /['’]s$/i;
// English clitics: "don't" is "do not", "we've" is "we have"; the clitic is a stop word.
const CLITIC = /(?<=\p{L})(?:n['’]t|['’](?:re|ve|ll|d|m))$/iu;
// "can't" and "won't" lose more than the clitic.
const CLIPPED: Record<string, string> = { ca: 'can', wo: 'will', sha: 'shall' };
const LOWER_LETTER = /^\p{Ll}$/u;
const HAS_DIGIT = /\d/;
const MAX_TERM_LENGTH = 40;
// Stemming dominates indexing time; a corpus has far fewer distinct words than words.
const STEM_CACHE_LIMIT = 500_000;

export function createAnalyzer(options: AnalyzerOptions = {}): Analyzer {
  const stopWords = options.stopWords === undefined ? STOP_WORDS : options.stopWords;
  const defaultMode = options.compounds ?? 'split+join';
  const stem = options.stem ?? true;
  const prepare = options.fold === false ? (text: string) => text : foldForSearch;
  const stems = new Map<string, string>();
  const contractions = options.contractions ?? true;
  const dropLetters = options.dropLetters ?? false;

  const stemOf = (lower: string): string => {
    let stemmed = stems.get(lower);
    if (stemmed === undefined) {
      if (stems.size >= STEM_CACHE_LIMIT) stems.clear();
      stemmed = stemmer(lower);
      stems.set(lower, stemmed);
    }
    return stemmed;
  };

  const normalize = (word: string): string | undefined => {
    const lower = word.toLowerCase();
    if (lower.length > MAX_TERM_LENGTH || stopWords?.has(lower)) return undefined;
    // Porter rules are for English words; "r1", "3d", "gpt4" and "2.5" stay as written.
    return stem && !HAS_DIGIT.test(lower) ? stemOf(lower) : lower;
  };

  const tokens = (text: string, compounds: CompoundMode = defaultMode): Token[] => {
    const out: Token[] = [];
    const push = (surface: string) => {
      const term = normalize(surface);
      if (term) out.push({ term, surface });
    };
    for (const [match] of prepare(text).matchAll(COMPOUND)) {
      const word = contractions ? uncontract(match.replace(POSSESSIVE, '')) : match.replace(POSSESSIVE, '');
      const parts = word.split(SEPARATOR).filter(Boolean);
      if (parts.length === 1) {
        push(parts[0]!);
        continue;
      }
      if (compounds !== 'join') parts.forEach(push);
      if (compounds !== 'split') {
        const joined = normalize(parts.join(''));
        if (joined) out.push({ term: joined, surface: word });
      }
    }
    return out;
  };

  return {
    tokens,
    queryTokens: (text) => (dropLetters ? tokens(text).filter(({ surface }) => !LOWER_LETTER.test(surface)) : tokens(text)),
    terms: (text, compounds) => tokens(text, compounds).map((token) => token.term),
  };
}

/** The word without an English clitic: "don't" -> "do", "can't" -> "can", "they're" -> "they". */
function uncontract(word: string): string {
  const bare = word.replace(CLITIC, '');
  if (bare === word) return word;
  return CLIPPED[bare.toLowerCase()] ?? bare;
}
