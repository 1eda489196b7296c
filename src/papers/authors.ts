/** A byline that fits on one line: "A", "A, B", or "A, B et al." */
export function shortAuthors(authors: string[]): string {
  if (authors.length <= 2) return authors.join(', ');
  return `${authors.slice(0, 2).join(', ')} et al.`;
}
