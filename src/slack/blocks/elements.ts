import type { types } from '@slack/bolt';
import { LIMITS } from './limits.js';
import { escapeText, truncate } from '../mrkdwn.js';

export type Block = types.KnownBlock;

/** A section of mrkdwn that is already escaped; cut to Slack's limit. */
export function section(mrkdwn: string, blockId?: string): types.SectionBlock {
  return {
    type: 'section',
    ...(blockId ? { block_id: blockId } : {}),
    text: { type: 'mrkdwn', text: truncate(mrkdwn, LIMITS.sectionText) },
  };
}

/** A section of plain text (user-typed, shown exactly as typed: no *bold*, no links); escaped, as Slack decodes it. */
export function plainSection(text: string): types.SectionBlock {
  return { type: 'section', text: { type: 'plain_text', text: truncate(escapeText(text), LIMITS.sectionText), emoji: false } };
}

/** A header of plain (unescaped, possibly untrusted) text: escaped here too, as Slack decodes it. */
export function header(text: string): types.HeaderBlock {
  return { type: 'header', text: { type: 'plain_text', text: truncate(escapeText(text), LIMITS.headerText), emoji: true } };
}

/** A context line of already-escaped mrkdwn pieces (at most ten are kept). */
export function context(pieces: string[], blockId?: string): types.ContextBlock {
  return {
    type: 'context',
    ...(blockId ? { block_id: blockId } : {}),
    elements: pieces.slice(0, LIMITS.contextElements).map((text) => ({ type: 'mrkdwn', text: truncate(text, LIMITS.contextText) })),
  };
}

export function divider(): types.DividerBlock {
  return { type: 'divider' };
}

export function button(text: string, actionId: string, value: string, style?: 'primary' | 'danger'): types.Button {
  return {
    type: 'button',
    text: { type: 'plain_text', text: truncate(text, LIMITS.buttonText), emoji: true },
    action_id: truncate(actionId, LIMITS.actionId),
    value: value.slice(0, LIMITS.buttonValue),
    ...(style ? { style } : {}),
  };
}

/** A Block Kit confirmation dialog for a button: nothing happens until the person confirms. Plain text throughout. */
export function confirmDialog(title: string, text: string, confirm: string, deny = 'Cancel'): types.ConfirmationDialog {
  const plain = (value: string, max: number) => ({ type: 'plain_text' as const, text: truncate(value, max), emoji: true });
  return {
    title: plain(title, LIMITS.confirmTitle),
    text: plain(text, LIMITS.confirmText),
    confirm: plain(confirm, LIMITS.confirmButton),
    deny: plain(deny, LIMITS.confirmButton),
    style: 'danger',
  };
}
