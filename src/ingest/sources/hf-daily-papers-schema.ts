import { z } from 'zod';

/**
 * Optional fields as the Hub really sends them: empty strings, `null`, `[""]`, a URL with a stray
 * space. Each is cleaned to a usable value or left out, never a reason to lose the item (the Hub sends
 * `"ai_keywords": [""]` for a paper without keywords).
 */
const optionalText = z.string().trim().min(1).optional().catch(undefined);
const optionalUrl = z
  .string()
  .trim()
  .pipe(z.url({ protocol: /^https?$/ }))
  .optional()
  .catch(undefined);
const words = z
  .array(z.unknown())
  .catch([])
  .transform((list) => list.flatMap((item) => (typeof item === 'string' && item.trim() ? [item.trim()] : [])));
const authors = z
  .array(z.unknown())
  .catch([])
  .transform((list) =>
    list.flatMap((author) => {
      const name = (author as { name?: unknown } | null)?.name;
      return typeof name === 'string' && name.trim() ? [{ name: name.trim() }] : [];
    }),
  );

/**
 * One item of GET /api/daily_papers, as much of it as Paperboy reads; unknown fields are ignored.
 * Only an item without an arXiv id or a title cannot be used; everything else is cleaned.
 */
export const DailyPaperItemSchema = z.object({
  paper: z.object({
    id: z
      .string()
      .trim()
      .regex(/^[\w./-]+$/, 'expected an arXiv-style id'),
    title: z.string().trim().min(1),
    summary: z
      .string()
      .nullish()
      .catch(undefined)
      .transform((value) => value ?? ''),
    authors,
    /** ISO timestamp; anything else is dropped. */
    publishedAt: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}/)
      .optional()
      .catch(undefined),
    upvotes: z.number().int().nonnegative().catch(0).default(0),
    ai_summary: optionalText,
    ai_keywords: words,
    githubRepo: optionalUrl,
    projectPage: optionalUrl,
  }),
  numComments: z.number().int().nonnegative().optional().catch(undefined),
});
