// Block Kit to DOM, for the block types Slack messages and Home tabs use.
import { element, mrkdwn, textNodes } from './mrkdwn.js';

/**
 * @param blocks Block Kit blocks
 * @param options.names user ids to display names, for mentions
 * @param options.onClick called with (block, button, its element) when a button is pressed; without it buttons are disabled
 */
export function renderBlocks(blocks, options) {
  const container = element('div', undefined, 'blocks');
  for (const block of blocks) container.append(renderBlock(block, options));
  return container;
}

/** A text object: mrkdwn, or plain_text (in which Slack decodes &amp; and friends too). */
export function renderText(text, options, className) {
  const node = element('div', undefined, className);
  if (!text || typeof text.text !== 'string') return node;
  if (text.type === 'mrkdwn') node.append(mrkdwn(text.text, options.names));
  else node.append(textNodes(text.text));
  return node;
}

function renderBlock(block, options) {
  switch (block.type) {
    case 'header':
      return renderText(block.text, options, 'block-header');
    case 'section':
      return section(block, options);
    case 'context': {
      const line = element('div', undefined, 'block-context');
      for (const item of block.elements ?? []) {
        line.append(item.type === 'image' ? element('span', item.alt_text ?? '', 'image-alt') : renderText(item, options, 'context-item'));
      }
      return line;
    }
    case 'divider':
      return element('hr', undefined, 'block-divider');
    case 'actions': {
      const row = element('div', undefined, 'block-actions');
      for (const item of block.elements ?? []) row.append(button(block, item, options));
      return row;
    }
    default:
      return element('div', `[${String(block.type)} block]`, 'block-unknown');
  }
}

function section(block, options) {
  const node = element('div', undefined, 'block-section');
  const body = element('div', undefined, 'section-body');
  if (block.text) body.append(renderText(block.text, options, 'section-text'));
  if (Array.isArray(block.fields)) {
    const fields = element('div', undefined, 'section-fields');
    for (const field of block.fields) fields.append(renderText(field, options, 'section-field'));
    body.append(fields);
  }
  node.append(body);
  if (block.accessory?.type === 'button') node.append(button(block, block.accessory, options));
  return node;
}

function button(block, item, options) {
  if (item.type !== 'button') return element('span', `[${String(item.type)}]`, 'block-unknown');
  const node = element('button', undefined, `button${item.style ? ` button-${item.style}` : ''}`);
  node.append(textNodes(item.text?.text ?? ''));
  node.type = 'button';
  node.dataset.actionId = item.action_id ?? '';
  if (options.onClick) node.addEventListener('click', () => options.onClick(block, item, node));
  else node.disabled = true;
  return node;
}
