import type { ExtractiveAnswer } from './extractive.js';
import type { Synthesis } from './types.js';

export const NO_LLM = 'No LLM configured';

/** The answer given instead of the LLM's, with a notice saying what it is and why. */
export function fallbackSynthesis(answer: ExtractiveAnswer, why: string): Synthesis {
  const what = answer.kind === 'hf-ai-summary' ? "Hugging Face's AI summaries" : 'extractive summary';
  const reason = why === NO_LLM ? NO_LLM : `LLM unavailable (${why})`;
  if (why === NO_LLM && answer.note)
    return { kind: answer.kind, bullets: answer.bullets, cited: answer.cited, notice: answer.note, noticeFirst: true };
  return { kind: answer.kind, bullets: answer.bullets, cited: answer.cited, notice: `${reason}: ${what}` };
}

/** A checked answer as text, the way the model writes it: one "- " bullet a line. */
export function bulletText(bullets: string[]): string {
  return bullets.map((bullet) => `- ${bullet}`).join('\n');
}
