/**
 * Which of a thread's numbered papers a question points at: "[2] and [3]", "papers 1 and 4",
 * "the first two", "the second and third", "the last one". A bare number word is not a paper:
 * "compare the first two" means papers 1 and 2, not paper 2.
 */

const ORDINALS: Record<string, number> = {
  first: 1,
  second: 2,
  third: 3,
  fourth: 4,
  fifth: 5,
  sixth: 6,
  seventh: 7,
  eighth: 8,
  ninth: 9,
  tenth: 10,
};
const COUNTS: Record<string, number> = { two: 2, three: 3, four: 4, five: 5, six: 6 };
const ORDINAL = String.raw`(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|\d+(?:st|nd|rd|th))`;
const COUNT = String.raw`(?:two|three|four|five|six|\d+)`;

const CITATION = /\[(\d+(?:\s*[,;]\s*\d+)*)\]/g;
const NUMBERED = /\b(?:papers?|nos?\.?|numbers?|#)\s*#?(\d+)((?:\s*(?:,|and|&|vs\.?|versus|with|to|or)\s*#?\d+)*)/g;
const FIRST_OR_LAST_N = new RegExp(String.raw`\b(first|top|last)\s+(${COUNT})\b`, 'g');
// An ordinal that names a paper: "the second", "second and third", "and the fourth" (not "first, we").
const NAMED_ORDINAL = new RegExp(
  String.raw`\bthe\s+(${ORDINAL}|last)\b(?!\s+(?:time|times|step|steps|stage|stages|place|half|author|authors))` +
    String.raw`|\b(${ORDINAL}|last)(?=\s+(?:and|&|,|or|vs\.?|versus|with|one|ones|paper|papers|result|results|\[)|\s*[?.!]?$)`,
  'g',
);
const COMPARE = /\b(?:compare[sd]?|comparing|comparison|versus|vs\.?|differ(?:s|ence|ences|ent)?|contrast|side by side|than)\b/i;

/** The 1-based numbers of the papers a question names, in the order named, within 1..count. */
export function referencedPapers(question: string, count: number): number[] {
  const text = question.toLowerCase();
  const found: Array<{ at: number; n: number }> = [];
  for (const match of text.matchAll(CITATION)) {
    for (const n of match[1]!.split(/[,;]/)) found.push({ at: match.index, n: Number(n) });
  }
  for (const match of text.matchAll(NUMBERED)) {
    for (const n of `${match[1]} ${match[2]}`.match(/\d+/g) ?? []) found.push({ at: match.index, n: Number(n) });
  }
  const ranges: Array<[number, number]> = [];
  for (const match of text.matchAll(FIRST_OR_LAST_N)) {
    const k = COUNTS[match[2]!] ?? Number(match[2]);
    const from = match[1] === 'last' ? count - k + 1 : 1;
    for (let n = from; n < from + k; n++) found.push({ at: match.index, n });
    ranges.push([match.index, match.index + match[0].length]);
  }
  for (const match of text.matchAll(NAMED_ORDINAL)) {
    const word = (match[1] ?? match[2])!;
    const at = match.index + match[0].lastIndexOf(word);
    if (ranges.some(([start, end]) => at >= start && at < end)) continue;
    const n = word === 'last' ? count : (ORDINALS[word] ?? Number.parseInt(word, 10));
    found.push({ at: match.index, n });
  }
  const inOrder = found.sort((a, b) => a.at - b.at).map(({ n }) => n);
  return [...new Set(inOrder)].filter((n) => Number.isInteger(n) && n >= 1 && n <= count);
}

/** The question asks to set papers against each other. */
export function asksToCompare(question: string): boolean {
  return COMPARE.test(question);
}
