import { slugify } from './slug.js';
import type { PaperInput } from './paper.js';

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/**
 * Parses the text of a Hugging Face Daily Papers page as the seed stores it: a few lines of page
 * chrome ending in the day ("Mar 28"), then title and abstract lines in turn, in trending order.
 */
export function parseDailyPapersPage(text: string, year: number): PaperInput[] {
  const lines = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean);
  const dayLine = lines.findIndex((line) => parseDay(line, year) !== undefined);
  if (dayLine < 0) throw new Error('no day line such as "Mar 28" found: is this a Daily Papers page?');
  const date = parseDay(lines[dayLine]!, year)!;
  const body = lines.slice(dayLine + 1);
  if (body.length % 2 !== 0) {
    throw new Error(`expected title and abstract lines in pairs, found ${body.length} lines after "${lines[dayLine]}"`);
  }
  const papers: PaperInput[] = [];
  for (let i = 0; i < body.length; i += 2) {
    const title = body[i]!;
    papers.push({
      id: slugify(title),
      title,
      abstract: body[i + 1]!,
      links: { page: `https://huggingface.co/papers?q=${encodeURIComponent(title)}` },
      trending: { date, rank: i / 2 + 1 },
      source: 'hf-daily-papers-page',
    });
  }
  return papers;
}

function parseDay(line: string, year: number): string | undefined {
  const match = /^([A-Za-z]{3})[a-z]*\.? (\d{1,2})$/.exec(line);
  if (!match) return undefined;
  const month = MONTHS.indexOf(match[1]!.toLowerCase());
  if (month < 0) return undefined;
  return `${year}-${String(month + 1).padStart(2, '0')}-${match[2]!.padStart(2, '0')}`;
}
