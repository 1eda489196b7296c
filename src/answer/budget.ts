import type { Paper } from '../papers/paper.js';

/** Rough token count: about four characters a token for English prose. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

export interface PromptPaper {
  /** The paper's [n]: its 1-based place in the list the user sees. */
  n: number;
  paper: Paper;
  /** The abstract, cut to fit the budget. */
  abstract: string;
}

export interface PaperBudget {
  maxPapers: number;
  /** Tokens left for the papers once the rest of the prompt is counted. */
  tokens: number;
}

/** Characters a paper costs besides its abstract: tags, title line, labels. */
const OVERHEAD_CHARS = 60;
/** Below this an abstract says too little to be worth sending; fewer papers are sent instead. */
const MIN_ABSTRACT_CHARS = 300;

/**
 * The first papers, as many as the budget allows (at most maxPapers, at least one), with abstracts
 * trimmed so they fit together: short abstracts stay whole and leave their unused share to long ones.
 */
export function fitPapers(papers: Paper[], budget: PaperBudget): PromptPaper[] {
  const chars = Math.max(0, budget.tokens * 4);
  let count = Math.min(papers.length, budget.maxPapers);
  while (count > 1 && shareOf(papers.slice(0, count), chars) < MIN_ABSTRACT_CHARS) count--;
  const chosen = papers.slice(0, count);
  const allowance = allocate(
    chosen.map((paper) => paper.abstract.length),
    chars - chosen.reduce((sum, paper) => sum + paper.title.length + OVERHEAD_CHARS, 0),
  );
  return chosen.map((paper, i) => ({ n: i + 1, paper, abstract: trimText(paper.abstract, allowance[i]!) }));
}

/** The even share of abstract characters each paper would get. */
function shareOf(papers: Paper[], chars: number): number {
  const fixed = papers.reduce((sum, paper) => sum + paper.title.length + OVERHEAD_CHARS, 0);
  return (chars - fixed) / papers.length;
}

/** Splits `total` among wants so no one gets more than it wants and the rest share evenly. */
export function allocate(wants: number[], total: number): number[] {
  const order = wants.map((want, i) => ({ want, i })).sort((a, b) => a.want - b.want);
  const given = new Array<number>(wants.length).fill(0);
  let left = Math.max(0, total);
  order.forEach(({ want, i }, k) => {
    const share = Math.floor(left / (order.length - k));
    given[i] = Math.min(want, share);
    left -= given[i]!;
  });
  return given;
}

/** The text cut to at most `max` characters, at a sentence end if one is near, else at a word. */
export function trimText(text: string, max: number): string {
  if (text.length <= max) return text;
  const head = text.slice(0, Math.max(0, max - 1));
  const sentenceEnd = head.search(/[.!?]\s[^.!?]*$/);
  if (sentenceEnd >= max * 0.6) return head.slice(0, sentenceEnd + 1);
  const wordEnd = head.lastIndexOf(' ');
  return `${(wordEnd > 0 ? head.slice(0, wordEnd) : head).trimEnd()}…`;
}
