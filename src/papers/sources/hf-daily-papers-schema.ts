import { z } from 'zod';

/** One item of GET /api/daily_papers, as much of it as Paperboy reads; unknown fields are ignored. */
export const DailyPaperItemSchema = z.object({
  paper: z.object({
    id: z.string().regex(/^[\w./-]+$/, 'expected an arXiv-style id'),
    title: z.string().trim().min(1),
    summary: z.string().default(''),
    authors: z.array(z.object({ name: z.string().trim().min(1) })).default([]),
    publishedAt: z.string().optional(),
    upvotes: z.number().int().nonnegative().default(0),
    ai_summary: z.string().trim().min(1).optional(),
    ai_keywords: z.array(z.string()).optional(),
    githubRepo: z.url().optional().catch(undefined),
    projectPage: z.url().optional().catch(undefined),
  }),
  numComments: z.number().int().nonnegative().optional(),
});

export type DailyPaperItem = z.infer<typeof DailyPaperItemSchema>;
