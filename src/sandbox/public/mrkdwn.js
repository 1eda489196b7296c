// Slack mrkdwn to DOM nodes. Text only ever becomes text nodes: nothing here parses HTML.

const ENTITIES = { '&amp;': '&', '&lt;': '<', '&gt;': '>' };
const EMOJI = {
  information_source: 'ℹ️',
  warning: '⚠️',
  '+1': '👍',
  thumbsup: '👍',
  '-1': '👎',
  thumbsdown: '👎',
  newspaper: '📰',
  mag: '🔍',
  books: '📚',
  tada: '🎉',
  white_check_mark: '✅',
  x: '❌',
  wave: '👋',
  fire: '🔥',
};
// Drawn as images, as Slack draws every emoji, so that they show without an emoji font.
const EMOJI_IMAGES = { '👍': '/thumbsup.svg', '👎': '/thumbsdown.svg' };
const EMOJI_IMAGE = /(👍|👎)/u;
const TAGS = { '*': 'strong', _: 'em', '~': 's', '`': 'code' };
// A marker opens after the start, a space or an opening punctuation mark, and closes before the
// end, a space or punctuation, as in Slack.
const FORMAT = /(^|[\s([{"'“‘])([*_~`])(?!\s)([^\n]*?\S)\2(?=$|[\s)\]}.,;:!?"'”’])/;
// <...> (links, mentions) are set aside first, so that formatting never looks inside a URL.
const ANGLE = /<([^<>\n]*)>/g;
const SET_ASIDE = /\uE000(\d+)\uE001/;

export function decode(text) {
  return text.replace(/&(?:amp|lt|gt);/g, (entity) => ENTITIES[entity]);
}

/** Plain text as Slack shows it: entities decoded, :emoji: codes drawn. */
function plain(text) {
  return decode(text).replace(/:([a-z0-9_+-]+):/g, (code, name) => EMOJI[name] ?? code);
}

/** Plain text as nodes: text, and images for the emoji drawn as images. */
export function textNodes(value) {
  const fragment = document.createDocumentFragment();
  plain(value)
    .split(EMOJI_IMAGE)
    .forEach((piece, i) => {
      if (i % 2 === 0) {
        if (piece) fragment.append(piece);
        return;
      }
      const image = element('img', undefined, 'emoji');
      image.src = EMOJI_IMAGES[piece];
      image.alt = piece;
      fragment.append(image);
    });
  return fragment;
}

/** mrkdwn as a fragment: code blocks, *bold*, _italic_, ~strike~, `code`, links and mentions (`names`: id -> name). */
export function mrkdwn(text, names = {}) {
  const fragment = document.createDocumentFragment();
  const parts = text.split('```');
  parts.forEach((part, i) => {
    const fenced = i % 2 === 1 && i < parts.length - 1;
    if (fenced) fragment.append(element('pre', decode(part.replace(/^\n/, ''))));
    else inline(i % 2 === 1 ? '```' + part : part, fragment, names);
  });
  return fragment;
}

function inline(text, parent, names) {
  const aside = [];
  const marked = text.replace(ANGLE, (_, inner) => `\uE000${aside.push(inner) - 1}\uE001`);
  formatted(marked, parent, { aside, names });
}

function formatted(text, parent, context) {
  const match = FORMAT.exec(text);
  if (!match) return leaf(text, parent, context);
  const start = match.index + match[1].length;
  leaf(text.slice(0, start), parent, context);
  const [, , marker, inner] = match;
  const node = document.createElement(TAGS[marker]);
  if (marker === '`') node.textContent = decode(restore(inner, context.aside));
  else formatted(inner, node, context);
  parent.append(node);
  formatted(text.slice(match.index + match[0].length), parent, context);
}

function leaf(text, parent, context) {
  const pieces = text.split(SET_ASIDE);
  pieces.forEach((piece, i) => {
    if (i % 2 === 0) {
      if (piece) parent.append(textNodes(piece));
      return;
    }
    const inner = context.aside[Number(piece)];
    parent.append(inner === undefined ? '' : angle(inner, context.names));
  });
}

function restore(text, aside) {
  return text.replace(new RegExp(SET_ASIDE, 'g'), (_, i) => `<${aside[Number(i)] ?? ''}>`);
}

/** <url|label>, <@U123>, <#C123|name>, <!here>. */
function angle(inner, names) {
  const bar = inner.indexOf('|');
  const target = bar < 0 ? inner : inner.slice(0, bar);
  const label = bar < 0 ? undefined : inner.slice(bar + 1);
  if (target.startsWith('@')) return element('span', `@${names[target.slice(1)] ?? label ?? target.slice(1)}`, 'mention');
  if (target.startsWith('#')) return element('span', `#${names[target.slice(1)] ?? label ?? target.slice(1)}`, 'mention');
  if (target.startsWith('!')) return element('span', `@${label ?? target.slice(1).split('^')[0]}`, 'mention');
  const url = safeUrl(decode(target));
  if (!url) return textNodes(label ?? target);
  const link = element('a');
  link.append(textNodes(label ?? target));
  link.href = url;
  link.target = '_blank';
  link.rel = 'noopener noreferrer';
  return link;
}

function safeUrl(text) {
  try {
    const url = new URL(text);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

export function element(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}
