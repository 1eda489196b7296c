/** The text cut to at most `max` words, marked with an ellipsis when cut. */
export function limitWords(text: string, max: number): string {
  const all = text.trim().split(/\s+/);
  if (all.length <= max) return text.trim();
  return `${all
    .slice(0, max)
    .join(' ')
    .replace(/[,;:.!?-]+$/, '')}…`;
}
