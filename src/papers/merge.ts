import type { Paper } from './paper.js';

/**
 * One paper from two sources' records of it (Hugging Face's paper id is the arXiv id): each keeps
 * what only it knows (Hugging Face its upvotes, summary and keywords; arXiv its categories), the
 * newer record wins where both speak, and nothing known is lost to a record that leaves it out.
 */
export function mergePaper(stored: Paper, incoming: Paper): Paper {
  const merged: Paper = {
    ...stored,
    ...incoming,
    abstract: longer(incoming.abstract, stored.abstract),
    authors: incoming.authors.length >= stored.authors.length ? incoming.authors : stored.authors,
    upvotes: Math.max(incoming.upvotes, stored.upvotes),
    links: { ...stored.links, ...incoming.links },
    keywords: incoming.keywords.length ? incoming.keywords : stored.keywords,
    // Where it was first seen: an arXiv paper that later trends is still the one the arXiv digest found.
    source: stored.source,
  };
  const publishedAt = [stored.publishedAt, incoming.publishedAt].filter((day) => day !== undefined).sort()[0];
  if (publishedAt) merged.publishedAt = publishedAt;
  const aiSummary = incoming.aiSummary ?? stored.aiSummary;
  if (aiSummary) merged.aiSummary = aiSummary;
  const categories = incoming.categories ?? stored.categories;
  if (categories) merged.categories = categories;
  return merged;
}

/** The longer text, the incoming one on a tie (sources cut abstracts differently, never lengthen them). */
function longer(incoming: string, stored: string): string {
  return stored.length > incoming.length ? stored : incoming;
}
