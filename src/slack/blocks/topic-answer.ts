import type { Tldr } from '../../answer/types.js';
import type { SearchHit } from '../../search/types.js';
import { escapeText, truncate } from '../mrkdwn.js';
import { context, divider, header, type Block } from './elements.js';
import { FALLBACK_TEXT_BUDGET, LIMITS } from './limits.js';
import { paperBlocks } from './paper.js';
import { synthesisBlocks, synthesisText, type SynthesisState } from './synthesis.js';
import { oneLine } from '../../lib/visible-text.js';

export interface AnswerMessage {
  /** Header text, e.g. `Papers on "distillation"` (plain text: shown as typed). */
  title: string;
  hits: SearchHit[];
  synthesis: SynthesisState;
  /** One per hit when known; until then each paper shows its best-matching sentence. */
  tldrs?: readonly Tldr[];
  /** A closing line (already escaped mrkdwn), e.g. how to invite the bot. */
  footer?: string;
  /** Buttons act on the message's thread, so messages that cannot have one leave them out. */
  buttons?: boolean;
}

export interface RenderedMessage {
  text: string;
  blocks: Block[];
}

/**
 * A topic answer: header, synthesis, then one part per numbered paper. Papers that would take the
 * message past Slack's block limit are left out whole, never cut in half.
 */
export function renderAnswer(message: AnswerMessage): RenderedMessage {
  const head: Block[] = [header(message.title), ...synthesisBlocks(message.synthesis), divider()];
  const tail: Block[] = message.footer ? [context([message.footer])] : [];
  const blocks = [...head];
  const shown: SearchHit[] = [];
  for (const [i, hit] of message.hits.entries()) {
    const part = paperBlocks(hit, i + 1, message.tldrs?.[i], message.buttons ?? true);
    if (blocks.length + part.length + tail.length > LIMITS.messageBlocks) break;
    blocks.push(...part);
    shown.push(hit);
  }
  blocks.push(...tail);
  return { text: fallbackText(message.title, message.synthesis, shown), blocks };
}

function fallbackText(title: string, synthesis: SynthesisState, hits: SearchHit[]): string {
  const papers = hits.map((hit, i) => `[${i + 1}] ${oneLine(hit.paper.title)}`);
  const text = [title, synthesisText(synthesis), ...papers].join('\n');
  return truncate(escapeText(text), FALLBACK_TEXT_BUDGET);
}
