import type { Paper } from '../papers/paper.js';
import type { Turn } from './types.js';
import { estimateTokens, fitPapers, trimText, type PromptPaper } from './budget.js';
import { renderPrompt, type ChatMessage, type Prompt } from './prompts.js';
import { delimit } from './untrusted.js';

export interface PromptLimits {
  maxPapers: number;
  maxPromptTokens: number;
}

export interface BuiltPrompt {
  messages: ChatMessage[];
  /** The papers the prompt holds, numbered; fewer than given when the budget is tight. */
  papers: PromptPaper[];
}

/** A thread's earlier turns may take at most this share of the prompt budget, newest kept first. */
const HISTORY_SHARE = 0.25;
const TURN_MAX_CHARS = 1200;

/**
 * The prompt with its untrusted values delimited and `papers` filling the `paperSlot` placeholder,
 * as many papers and as much of each abstract as the token budget leaves room for.
 */
export function buildPrompt(
  prompt: Prompt,
  values: Record<string, string | number>,
  paperSlot: string,
  papers: Paper[],
  limits: PromptLimits,
): BuiltPrompt {
  const fixed = estimateTokens(
    renderPrompt(prompt, { ...values, [paperSlot]: '' })
      .map((m) => m.content)
      .join('\n'),
  );
  const fitted = fitPapers(papers, { maxPapers: limits.maxPapers, tokens: limits.maxPromptTokens - fixed });
  const messages = renderPrompt(prompt, { ...values, [paperSlot]: fitted.map(paperBlock).join('\n\n') });
  return { messages, papers: fitted };
}

export function paperBlock({ n, paper, abstract }: PromptPaper): string {
  return delimit('paper', `Title: ${paper.title}\nAbstract: ${abstract || '(no abstract)'}`, { n });
}

/** The newest turns that fit in the history's share of the budget, oldest first. */
export function fitHistory(history: Turn[], maxPromptTokens: number): Turn[] {
  let left = Math.floor(maxPromptTokens * HISTORY_SHARE);
  const kept: Turn[] = [];
  for (const turn of [...history].reverse()) {
    const text = trimText(turn.text, TURN_MAX_CHARS);
    left -= estimateTokens(text) + 10;
    if (left < 0) break;
    kept.unshift({ role: turn.role, text });
  }
  return kept;
}

export function historyBlock(turns: Turn[]): string {
  return turns.length ? turns.map((turn) => delimit('turn', turn.text, { role: turn.role })).join('\n') : '(none)';
}
