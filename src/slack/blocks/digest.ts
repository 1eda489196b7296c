import type { Digest } from '../../digest/deliver.js';
import type { DigestPick } from '../../digest/select.js';
import { escapeText, truncate } from '../mrkdwn.js';
import type { RenderedMessage } from './topic-answer.js';
import { context, divider, header, type Block } from './elements.js';
import { FALLBACK_TEXT_BUDGET, LIMITS } from './limits.js';
import { paperBlocks } from './paper.js';
import { oneLine } from '../../lib/visible-text.js';
import { kindOf } from '../../digest/subscription.js';

const CLOSING = 'Reply in this thread to ask about these papers.';
const EXTRACTIVE_NOTICE = ':information_source: Summaries marked “From the abstract” are sentences from the paper (no LLM).';

/**
 * A channel's morning digest: a header naming the trending day (and the channel's topics), then
 * each pick as in an answer, with why it was picked, and an invitation to ask in the thread.
 * Picks that would take the message past Slack's block limit are left out whole.
 */
export function renderDigest(digest: Digest): RenderedMessage {
  const title = digestTitle(digest);
  const tail: Block[] = [divider()];
  if (digest.tldrs.some((tldr) => tldr.kind === 'extractive')) tail.push(context([EXTRACTIVE_NOTICE]));
  if (digest.more) tail.unshift(context([moreLine(digest.more)]));
  tail.push(context([CLOSING]));
  const blocks: Block[] = [header(title)];
  if (digest.stale) blocks.push(context([escapeText(staleNote(digest.stale, digest.trendingDate))]));
  const shown: DigestPick[] = [];
  for (const [i, pick] of digest.picks.entries()) {
    const part = pickBlocks(pick, i + 1, digest);
    if (blocks.length + part.length + tail.length > LIMITS.messageBlocks) break;
    blocks.push(...part);
    shown.push(pick);
  }
  blocks.push(...tail);
  return { text: fallbackText(title, shown), blocks };
}

/** Plain text (the header escapes it): "Trending papers · 2025-03-28 · distillation". */
export function digestTitle(digest: Pick<Digest, 'trendingDate' | 'subscription'>): string {
  const { topics, categories } = digest.subscription;
  const suffix = topics ? ` · ${truncate(topics, 80)}` : '';
  if (kindOf(digest.subscription) === 'arxiv') {
    const where = categories?.length ? ` · ${truncate(categories.join(', '), 60)}` : '';
    return `New on arXiv${where} · ${digest.trendingDate}${suffix}`;
  }
  return `Trending papers · ${digest.trendingDate}${suffix}`;
}

/** "…and 37 more new papers in your categories", linked to arXiv's list (our own URL, built from validated categories). */
function moreLine(more: NonNullable<Digest['more']>): string {
  const papers = more.count === 1 ? 'paper' : 'papers';
  return `…and ${more.count} more new ${papers} for this channel · <${more.url}|all new papers on arXiv>`;
}

/** Said under the header when the list is older than the newest day that has ended, as the command line says it. */
export function staleNote(stale: NonNullable<Digest['stale']>, listDay: string): string {
  const heard = stale.lastHeard
    ? `Hugging Face has not answered since ${stale.lastHeard.toISOString().slice(0, 16).replace('T', ' ')} UTC`
    : 'Hugging Face has not answered since the bot started';
  return `:warning: This is an old list: the newest list I have is from ${listDay} (the Daily Papers of ${stale.newestClosedDay} are not in yet); ${heard}.`;
}

/** The paper's own blocks, with why it was picked just above its buttons. */
function pickBlocks(pick: DigestPick, position: number, digest: Digest): Block[] {
  const hit = { paper: pick.paper, score: pick.score, matched: [], snippet: '' };
  const part = paperBlocks(hit, position, digest.tldrs[position - 1]);
  const why = context([`_Why: ${escapeText(truncate(pick.reasons.join(' · '), 500))}_`]);
  const buttonsAt = part.findIndex((block) => block.type === 'actions');
  return buttonsAt < 0 ? [...part, why] : [...part.slice(0, buttonsAt), why, ...part.slice(buttonsAt)];
}

function fallbackText(title: string, picks: DigestPick[]): string {
  const papers = picks.map((pick, i) => `[${i + 1}] ${oneLine(pick.paper.title)}`);
  return truncate(escapeText([title, ...papers].join('\n')), FALLBACK_TEXT_BUDGET);
}
