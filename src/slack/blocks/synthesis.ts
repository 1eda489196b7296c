import type { Synthesis } from '../../answer/types.js';
import { escapeText } from '../mrkdwn.js';
import { context, section, type Block } from './elements.js';

/** Where an answer's text stands while it is written. */
export type SynthesisState =
  | { status: 'pending'; label: string }
  | { status: 'streaming'; text: string }
  | { status: 'done'; synthesis: Synthesis }
  /** Gave up waiting (the papers still stand on their own). */
  | { status: 'unavailable'; reason: string };

const KIND_NOTICE: Record<Synthesis['kind'], string | undefined> = {
  llm: undefined,
  extractive: 'Extractive summary from the abstracts (no LLM).',
  'hf-ai-summary': "Hugging Face's summaries (no LLM).",
};

/** The answer text and, when it is not the LLM's own, a notice saying so. */
export function synthesisBlocks(state: SynthesisState, blockId = 'synthesis'): Block[] {
  switch (state.status) {
    case 'pending':
      return [section(`_${escapeText(state.label)}_`, blockId)];
    case 'streaming':
      return [section(`${escapeText(state.text.trim()) || '…'} ▍`, blockId)];
    case 'unavailable':
      return [section(`_${escapeText(state.reason)}_`, blockId)];
    case 'done': {
      const { synthesis } = state;
      const text = synthesis.bullets.map((bullet) => `• ${escapeText(bullet)}`).join('\n') || '_No summary._';
      const notice = synthesis.notice ?? KIND_NOTICE[synthesis.kind];
      if (!notice) return [section(text, blockId)];
      const said = context([`:information_source: ${escapeText(notice)}`]);
      return synthesis.noticeFirst ? [said, section(text, blockId)] : [section(text, blockId), said];
    }
  }
}

/** The answer as plain lines, for notifications and the thread's history. */
export function synthesisText(state: SynthesisState): string {
  switch (state.status) {
    case 'pending':
      return state.label;
    case 'streaming':
      return state.text;
    case 'unavailable':
      return state.reason;
    case 'done':
      return state.synthesis.bullets.map((bullet) => `• ${bullet}`).join('\n');
  }
}
