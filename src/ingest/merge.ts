import type { Paper } from '../papers/paper.js';

/**
 * One paper from two copies of it (the Hugging Face id is the arXiv id, so Daily Papers and arXiv
 * describe the same paper): each field from the copy that knows it, so that neither source's arrival
 * erases what the other brought, and the same two copies give the same paper in either order.
 * - upvotes, aiSummary, keywords, code and project links: Hugging Face's, the incoming copy's when it has them;
 * - the page link: a Hugging Face page over any other;
 * - categories: arXiv's (the incoming copy's when it has them);
 * - abstract, title, authors: the longer, cleaner text (ties broken by the text itself, never by order);
 * - publishedAt: the earlier (arXiv's first version);
 * - trending: the later day's entry (the store keeps every day's entry anyway).
 */
export function mergePaper(stored: Paper, incoming: Paper): Paper {
  const merged: Paper = {
    id: incoming.id,
    title: betterText(stored.title, incoming.title),
    abstract: betterText(stored.abstract, incoming.abstract),
    authors: betterList(stored.authors, incoming.authors),
    upvotes: incoming.upvotes || stored.upvotes,
    links: {
      ...stored.links,
      ...definedOnly(incoming.links),
      ...pageLink(stored.links.page, incoming.links.page),
    },
    keywords: incoming.keywords.length ? incoming.keywords : stored.keywords,
    source: sourceOf(stored, incoming),
  };
  const publishedAt = [stored.publishedAt, incoming.publishedAt].filter((day) => day !== undefined).sort()[0];
  if (publishedAt) merged.publishedAt = publishedAt;
  const categories = incoming.categories?.length ? incoming.categories : stored.categories;
  if (categories?.length) merged.categories = categories;
  const aiSummary = incoming.aiSummary ?? stored.aiSummary;
  if (aiSummary) merged.aiSummary = aiSummary;
  const trending = [stored.trending, incoming.trending]
    .filter((entry) => entry !== undefined)
    .sort((a, b) => (a.date < b.date ? 1 : -1))[0];
  if (trending) merged.trending = trending;
  return merged;
}

/** Hard-wrapped or markup-laden text is less clean; then the longer wins; then the smaller string (order-free). */
function betterText(a: string, b: string): string {
  const score = (text: string) => [/\n|\$|\\[a-z]+\{/.test(text) ? 0 : 1, text.length];
  const [sa, sb] = [score(a), score(b)];
  if (sa[0] !== sb[0]) return sa[0]! > sb[0]! ? a : b;
  if (sa[1] !== sb[1]) return sa[1]! > sb[1]! ? a : b;
  return a <= b ? a : b;
}

function betterList(a: string[], b: string[]): string[] {
  if (a.length !== b.length) return a.length > b.length ? a : b;
  return a.join('\n') <= b.join('\n') ? a : b;
}

function pageLink(stored: string | undefined, incoming: string | undefined): { page?: string } {
  const hf = (url: string | undefined) => url !== undefined && new URL(url).hostname.endsWith('huggingface.co');
  const page = hf(stored) && !hf(incoming) ? stored : (incoming ?? stored);
  return page ? { page } : {};
}

/** The copy that brought arXiv's categories names the source; else the first name in order (the same in either order). */
function sourceOf(stored: Paper, incoming: Paper): string {
  const withCategories = [stored, incoming].filter((paper) => paper.categories?.length);
  if (withCategories.length === 1) return withCategories[0]!.source;
  return [stored.source, incoming.source].sort()[0]!;
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
