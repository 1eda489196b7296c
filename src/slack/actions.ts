/**
 * The paper buttons. Each id is suffixed with the paper's position so that ids stay unique within
 * a message (Slack requires it); listeners match on the prefix. The value is the paper id.
 */
const PAPER_ACTIONS = {
  summarize: 'paper_summarize',
  moreLike: 'paper_more_like',
  like: 'paper_like',
  dislike: 'paper_dislike',
} as const;

export type PaperAction = keyof typeof PAPER_ACTIONS;

export function paperActionId(action: PaperAction, position: number): string {
  return `${PAPER_ACTIONS[action]}:${position}`;
}

export function paperActionPattern(action: PaperAction): RegExp {
  return new RegExp(`^${PAPER_ACTIONS[action]}:\\d+$`);
}

/** The position a paper button's id carries. */
export function paperPosition(actionId: string): number {
  return Number(actionId.slice(actionId.lastIndexOf(':') + 1)) || 0;
}
