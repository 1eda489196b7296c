/**
 * Characters that change how text looks without being seen: C0 and C1 controls (terminal escape
 * sequences start with ESC or CSI: clear the screen, hidden OSC 8 links, OSC 52 clipboard writes),
 * DEL, bidirectional overrides and isolates ("exe.lmth" shown as "html.exe"), and zero-width
 * characters (hidden joins inside a word). Tab and newline are left to the callers.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this removes
const DECEPTIVE = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF\u180E]/g;

/**
 * Whole terminal escape sequences, so that none leaves its parameters behind as text: CSI (ESC [ or
 * U+009B, parameters, one final byte), OSC (ESC ], up to BEL or ESC \\) and two-character ESC ones.
 * Each alternative starts at an escape character and stops at its class's end: linear.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: escape sequences start with control characters
const ESCAPE_SEQUENCE = /(?:\u001b\[|\u009b)[0-?]*[ -/]*[@-~]?|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u001b[@-Z\\-_]/g;

/** `text` without terminal escape sequences and the characters that deceive (see DECEPTIVE). Linear. */
export function stripDeceptive(text: string): string {
  return text.replace(ESCAPE_SEQUENCE, '').replace(DECEPTIVE, '');
}

/** One line: deceptive characters removed and every run of white space (newlines too) made one space. */
export function oneLine(text: string): string {
  return stripDeceptive(text).replace(/\s+/g, ' ').trim();
}

/**
 * At most `max` characters, cut at the last space in the final tenth when there is one, ending in
 * an ellipsis; never half a surrogate pair.
 */
export function capText(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, max - 1).replace(/[\uD800-\uDBFF]$/, '');
  const space = cut.lastIndexOf(' ');
  if (space > max * 0.9) cut = cut.slice(0, space);
  return `${cut.trimEnd()}…`;
}
