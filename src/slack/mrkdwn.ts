import { oneLine, stripDeceptive } from '../lib/visible-text.js';

/**
 * Making untrusted text (queries, paper metadata, LLM output) safe for Slack's mrkdwn: once &, <
 * and > are escaped, no text can form a mention (<@U..>, <!channel>) or a link (<url|label>); and
 * with controls, bidi overrides and zero-width characters removed, none can pass for other text.
 */
export function escapeText(text: string): string {
  return stripDeceptive(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Untrusted text shown as typed inside mrkdwn: escaped, and with the characters that would format
 * it (*bold*, _italic_, ~strike~, `code`) swapped for lookalikes, since mrkdwn has no escape for
 * them. For text that shares a line with mrkdwn (a channel link), where plain_text cannot be used.
 */
export function literalText(text: string): string {
  return escapeText(text).replace(/[*_~`]/g, (c) => LOOKALIKES[c] ?? c);
}

const LOOKALIKES: Record<string, string> = { '*': '∗', _: 'ˍ', '~': '∼', '`': 'ˋ' };

/** A link built from paper metadata: only http(s) URLs, and the label escaped and on one line. */
export function link(url: string | undefined, label: string): string {
  const safe = safeUrl(url);
  const text = escapeText(oneLine(label)).replace(/\|/g, '∣');
  return safe ? `<${safe}|${text}>` : text;
}

/**
 * Longer links are dropped (the label stays, as plain text): real paper, code and project links
 * are well under it, and one of thousands of characters would push the paper out of its section.
 */
export const MAX_URL_CHARS = 500;

/** The URL if it is http(s) and not too long, with the characters that would end Slack's <url|label> percent-encoded. */
export function safeUrl(url: string | undefined): string | undefined {
  if (!url || url.length > MAX_URL_CHARS) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return undefined;
  const safe = parsed.href.replace(/[|<>\s]/g, (c) => encodeURIComponent(c)).replace(/&/g, '&amp;');
  return safe.length > MAX_URL_CHARS ? undefined : safe;
}

/** Cuts text to at most `max` characters, ending in an ellipsis when cut. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  // Never leave half an escape (&amp;) or half a surrogate pair at the cut.
  return cut.replace(/&[a-z]{0,4}$/, '').replace(/[\uD800-\uDBFF]$/, '') + '…';
}
