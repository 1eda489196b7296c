/**
 * Text built to make a backtracking regular expression take quadratic time: long runs of one
 * character, or of a short pattern, that a pattern keeps almost matching. Each is `length`
 * characters; `slowest` times a text pass over each and returns the worst, in milliseconds.
 */
export function hostileTexts(length: number): Record<string, string> {
  const run = (unit: string) => unit.repeat(Math.ceil(length / unit.length)).slice(0, length);
  return {
    'one long token': run('x'),
    spaces: `a${run(' ')}`,
    dots: run('.'),
    'dotted labels': run('a.'),
    'hyphenated labels': run('a-'),
    'opening brackets': run('['),
    'citation without end': `[${run('1,')}`,
    'angle brackets': run('<a|'),
    initials: run('A. '),
    'lower-case sentences': run('a. '),
    'closing brackets': `.${run(')')}`,
    'markdown link openers': run('[a]('),
  };
}

export function slowest(pass: (text: string) => unknown, length: number): { name: string; ms: number } {
  let worst = { name: '', ms: 0 };
  for (const [name, text] of Object.entries(hostileTexts(length))) {
    const started = performance.now();
    pass(text);
    const ms = performance.now() - started;
    if (ms > worst.ms) worst = { name, ms };
  }
  return worst;
}
