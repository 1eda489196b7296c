import type { Paper } from '../../papers/paper.js';
import { escapeText, truncate } from '../mrkdwn.js';
import type { RenderedMessage } from './topic-answer.js';
import { context, section, type Block } from './elements.js';
import { FALLBACK_TEXT_BUDGET, LIMITS } from './limits.js';
import { paperTitleLink } from './paper.js';
import { synthesisBlocks, synthesisText, type SynthesisState } from './synthesis.js';

export interface ReplyMessage {
  /** A bold first line (plain text, escaped here), e.g. the paper a deep dive is about. */
  heading?: string;
  synthesis: SynthesisState;
  /** The papers the [n] in the text refer to, in their numbered order. */
  sources: readonly Paper[];
}

/** An answer posted in a thread: a follow-up or a deep dive, with its cited sources. */
export function renderReply(reply: ReplyMessage): RenderedMessage {
  const blocks: Block[] = [];
  if (reply.heading) blocks.push(section(`*${escapeText(reply.heading)}*`, 'heading'));
  blocks.push(...synthesisBlocks(reply.synthesis));
  const sources = citedSources(reply);
  if (sources.length) blocks.push(context(sources.slice(0, LIMITS.contextElements)));
  const text = [reply.heading, synthesisText(reply.synthesis)].filter(Boolean).join('\n');
  return { text: truncate(escapeText(text), FALLBACK_TEXT_BUDGET), blocks };
}

function citedSources(reply: ReplyMessage): string[] {
  const cited = reply.synthesis.status === 'done' ? reply.synthesis.synthesis.cited : [];
  return cited
    .map((n) => ({ n, paper: reply.sources[n - 1] }))
    .filter((source): source is { n: number; paper: Paper } => source.paper !== undefined)
    .map(({ n, paper }) => `[${n}] ${paperTitleLink(paper)}`);
}
