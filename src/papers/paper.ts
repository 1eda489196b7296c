import { z } from 'zod';

/** Text from outside, without NUL characters (Postgres refuses them in text and jsonb). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is the character to remove
const text = () => z.string().transform((value) => value.replace(/\u0000/g, '')).pipe(z.string().trim());

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD');

export const PaperLinksSchema = z.object({
  /** Hugging Face paper page, or a search for the title when the arXiv id is unknown. */
  page: z.url().optional(),
  arxiv: z.url().optional(),
  pdf: z.url().optional(),
  code: z.url().optional(),
  project: z.url().optional(),
});

export const TrendingSchema = z.object({
  date: isoDate,
  /** 1 = top of the day's list. */
  rank: z.number().int().positive(),
});

export const PaperSchema = z.object({
  /** arXiv id when known (e.g. "2503.12345"), else a stable slug of the title. */
  id: z.string().trim().min(1).max(200),
  title: text().pipe(z.string().min(1).max(1000)),
  abstract: text().pipe(z.string().max(20_000)).default(''),
  authors: z.array(text().pipe(z.string().min(1))).default([]),
  publishedAt: isoDate.optional(),
  upvotes: z.number().int().nonnegative().default(0),
  links: PaperLinksSchema.default({}),
  trending: TrendingSchema.optional(),
  keywords: z.array(z.string().trim().min(1)).default([]),
  /** Hugging Face's own one-line summary, when the source has one. */
  aiSummary: z.string().trim().min(1).optional(),
  /** Where the record came from: "hf-daily-papers", "seed", a file name, ... */
  source: z.string().min(1),
});

export type Paper = z.infer<typeof PaperSchema>;
export type PaperInput = z.input<typeof PaperSchema>;
