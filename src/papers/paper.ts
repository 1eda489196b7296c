import { z } from 'zod';
import { capText, oneLine, stripDeceptive } from '../lib/visible-text.js';

/**
 * Field lengths kept at ingestion: longer text is cut (the paper is kept), so that no hostile record
 * makes every later pass over it slow. arXiv abstracts are at most 1,920 characters; other
 * collections (SciFact's PubMed abstracts) run to 10,000. Titles run to about 300.
 */
export const FIELD_CAPS = { title: 500, abstract: 10_000, author: 200, authors: 500, aiSummary: 1_000, keyword: 100 } as const;

/** Text from outside, without NUL and other invisible controls (Postgres refuses NUL in text and jsonb). */
const text = () => z.string().transform(stripDeceptive).pipe(z.string().trim());
/** One line of outside text (titles, names), white space collapsed, at most `max` characters. */
const line = (max: number) => z.string().transform((value) => capText(oneLine(value), max));

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
  title: line(FIELD_CAPS.title).pipe(z.string().min(1)),
  abstract: text()
    .transform((value) => capText(value, FIELD_CAPS.abstract))
    .default(''),
  authors: z
    .array(line(FIELD_CAPS.author).pipe(z.string().min(1)))
    .transform((names) => names.slice(0, FIELD_CAPS.authors))
    .default([]),
  publishedAt: isoDate.optional(),
  upvotes: z.number().int().nonnegative().default(0),
  links: PaperLinksSchema.default({}),
  trending: TrendingSchema.optional(),
  keywords: z.array(line(FIELD_CAPS.keyword).pipe(z.string().min(1))).default([]),
  /** arXiv subject classes ("cs.CL", primary first), when the source has them. */
  categories: z
    .array(
      z
        .string()
        .trim()
        .regex(/^[a-z-]+(\.[A-Za-z-]+)?$/, 'expected an arXiv category like cs.CL'),
    )
    .optional(),
  /** Hugging Face's own one-line summary, when the source has one. */
  aiSummary: text()
    .transform((value) => capText(value, FIELD_CAPS.aiSummary))
    .pipe(z.string().min(1))
    .optional(),
  /** Where the record came from: "hf-daily-papers", "seed", a file name, ... */
  source: z.string().min(1),
});

export type Paper = z.infer<typeof PaperSchema>;
export type PaperInput = z.input<typeof PaperSchema>;
