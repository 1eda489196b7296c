/** The fixed sentence a follow-up answers with when the abstracts hold no answer. */
export const NO_ANSWER = "The abstracts don't say.";

export interface CheckOptions {
  /** How many numbered papers the model saw: valid citations are [1]..[paperCount]. */
  paperCount: number;
  maxBullets: number;
  /** Keep a bullet that is the NO_ANSWER sentence even though it cites nothing. */
  allowNoAnswer?: boolean;
}

export interface CheckedAnswer {
  bullets: string[];
  cited: number[];
}

/** [3], [1, 3], [1,2 ,5], [2-4], [2–4]. */
const CITATION_GROUP = /\[\s*(\d+(?:\s*(?:[,;]|[-–])\s*\d+)*)\s*\]/g;
// Every pattern here runs on model output, which may be one line of 60,000 characters: each is
// written so that a failed attempt stops at the next bracket or token, never rescanning the line
// from every position (quadratic time that once held the event loop for seconds).
const MARKDOWN_LINK = /\[([^[\]\n]*)\]\((?:[^()\s]|\([^()\s]*\))*\)/g;
/** Slack's <url|label>, <!channel>, <@U123>: link and mention markup. */
const ANGLE_MARKUP = /<[!@#]?[^<>\s]*(?:\|[^<>]*)?>/g;
const URL = /\b(?:(?:https?|ftp):\/\/|www\.)[^\s<>"'`]+/gi;
/** A bare domain such as evil.example or example.com/path, for common and reserved TLDs. */
const BARE_DOMAIN =
  /(?<![a-z0-9.-])\b(?:[a-z0-9-]+\.)+(?:com|org|net|io|ai|dev|app|co|edu|gov|info|xyz|me|ly|gg|site|link|online|example|test|invalid|localhost)\b(?:\/[^\s<>"'`]*)?/gi;
/** A bullet needs this many words besides its citations to say anything. */
const MIN_WORDS = 3;
const BULLET_MARKER = /^(?:[-*•‣◦·]|\d+[.)])\s+/;

/**
 * Grounds a model's answer in the numbered papers: keeps only citations of papers that exist,
 * writes each as [n], removes every link the model wrote, and drops bullets that cite nothing.
 * Returns undefined when no grounded bullet is left.
 */
export function checkAnswer(text: string, options: CheckOptions): CheckedAnswer | undefined {
  const bullets: string[] = [];
  const cited = new Set<number>();
  for (const line of splitBullets(text)) {
    const clean = tidy(removeLinks(line));
    const { text: bullet, numbers } = normaliseCitations(clean, options.paperCount);
    if (numbers.length > 0 && wordCount(bullet) >= MIN_WORDS) {
      bullets.push(bullet);
      numbers.forEach((n) => cited.add(n));
    } else if (options.allowNoAnswer && isNoAnswer(bullet)) {
      bullets.push(NO_ANSWER);
    }
    if (bullets.length === options.maxBullets) break;
  }
  const unique = [...new Set(bullets)];
  if (unique.length === 0) return undefined;
  return { bullets: unique, cited: [...cited].sort((a, b) => a - b) };
}

/** One entry per bullet or paragraph line, bullet markers and blank lines removed. */
export function splitBullets(text: string): string[] {
  return text
    .split(/\n+/)
    .map((line) => line.trim().replace(BULLET_MARKER, '').trim())
    .filter(Boolean);
}

export function removeLinks(text: string): string {
  return text.replace(MARKDOWN_LINK, '$1').replace(ANGLE_MARKUP, '').replace(URL, '').replace(BARE_DOMAIN, '');
}

/** Rewrites citation groups as [a][b] keeping only 1..paperCount, and lists the numbers kept. */
export function normaliseCitations(text: string, paperCount: number): { text: string; numbers: number[] } {
  const numbers = new Set<number>();
  const rewritten = text.replace(CITATION_GROUP, (_, inner: string) => {
    const valid = expandGroup(inner).filter((n) => n >= 1 && n <= paperCount);
    valid.forEach((n) => numbers.add(n));
    return [...new Set(valid)].map((n) => `[${n}]`).join('');
  });
  return { text: tidy(rewritten), numbers: [...numbers] };
}

function expandGroup(inner: string): number[] {
  return inner.split(/\s*[,;]\s*/).flatMap((part) => {
    const range = /^(\d+)\s*[-–]\s*(\d+)$/.exec(part);
    if (!range) return [Number(part)];
    const [from, to] = [Number(range[1]), Number(range[2])];
    // A long "range" is more likely a year span or a typo than a citation of many papers.
    if (to < from || to - from > 20) return [];
    return Array.from({ length: to - from + 1 }, (_, i) => from + i);
  });
}

function wordCount(text: string): number {
  return text
    .replace(CITATION_GROUP, ' ')
    .split(/\s+/)
    .filter((word) => /\p{L}/u.test(word)).length;
}

function isNoAnswer(text: string): boolean {
  const squash = (s: string) =>
    s
      .toLowerCase()
      .replace(/[’‘]/g, "'")
      .replace(/[^a-z']+/g, ' ')
      .trim();
  return squash(text).includes(squash(NO_ANSWER));
}

/** Collapses the gaps removals leave: double spaces, space before punctuation, empty brackets. */
function tidy(text: string): string {
  return text
    .replace(/\(\s*\)/g, '')
    .replace(/[ \t]+/g, ' ')
    .replace(/(?<!\s)\s+(?=[.,;:!?])/g, '')
    .replace(/\](\s+)\[/g, '][')
    .trim();
}
