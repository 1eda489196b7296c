/**
 * Block Kit as Slack checks it, written from Slack's reference independently of the app's own
 * renderer, so that a wrong limit in the app cannot also pass here. Returns the problems found.
 */
const MAX_BLOCK_ID = 255;
const MAX_ACTION_ID = 255;

type Json = Record<string, unknown>;

export function blockProblems(blocks: unknown, maxBlocks: number): string[] {
  const problems: string[] = [];
  if (!Array.isArray(blocks)) return ['blocks must be an array'];
  if (blocks.length > maxBlocks) problems.push(`${blocks.length} blocks; the limit is ${maxBlocks}`);
  const blockIds = new Set<string>();
  const actionIds = new Set<string>();
  blocks.forEach((block, i) => {
    const at = `blocks[${i}]`;
    if (!isObject(block)) return problems.push(`${at} is not an object`);
    if (block.block_id !== undefined) {
      const id = block.block_id;
      if (typeof id !== 'string' || id.length === 0 || id.length > MAX_BLOCK_ID) problems.push(`${at}.block_id invalid`);
      else if (blockIds.has(id)) problems.push(`${at}.block_id "${id}" repeated`);
      else blockIds.add(id);
    }
    problems.push(...checkBlock(block, at, actionIds));
  });
  return problems;
}

function checkBlock(block: Json, at: string, actionIds: Set<string>): string[] {
  switch (block.type) {
    case 'header':
      return textProblems(block.text, `${at}.text`, { max: 150, plainOnly: true });
    case 'section':
      return sectionProblems(block, at, actionIds);
    case 'context':
      return contextProblems(block, at);
    case 'actions':
      return actionsProblems(block, at, actionIds);
    case 'divider':
      return [];
    default:
      return [`${at}.type "${String(block.type)}" unsupported here`];
  }
}

function sectionProblems(block: Json, at: string, actionIds: Set<string>): string[] {
  const problems: string[] = [];
  if (block.text === undefined && block.fields === undefined) problems.push(`${at} needs text or fields`);
  if (block.text !== undefined) problems.push(...textProblems(block.text, `${at}.text`, { max: 3000 }));
  if (block.fields !== undefined) {
    if (!Array.isArray(block.fields) || block.fields.length === 0 || block.fields.length > 10) {
      problems.push(`${at}.fields must hold 1 to 10 items`);
    } else {
      block.fields.forEach((field, i) => problems.push(...textProblems(field, `${at}.fields[${i}]`, { max: 2000 })));
    }
  }
  if (block.accessory !== undefined) problems.push(...elementProblems(block.accessory, `${at}.accessory`, actionIds));
  return problems;
}

function contextProblems(block: Json, at: string): string[] {
  const elements = block.elements;
  if (!Array.isArray(elements) || elements.length === 0 || elements.length > 10) {
    return [`${at}.elements must hold 1 to 10 items`];
  }
  return elements.flatMap((element, i) => {
    if (isObject(element) && element.type === 'image') return [];
    return textProblems(element, `${at}.elements[${i}]`, { max: 3000 });
  });
}

function actionsProblems(block: Json, at: string, actionIds: Set<string>): string[] {
  const elements = block.elements;
  if (!Array.isArray(elements) || elements.length === 0 || elements.length > 25) {
    return [`${at}.elements must hold 1 to 25 items`];
  }
  return elements.flatMap((element, i) => elementProblems(element, `${at}.elements[${i}]`, actionIds));
}

function elementProblems(element: unknown, at: string, actionIds: Set<string>): string[] {
  if (!isObject(element) || element.type !== 'button') return [`${at} must be a button`];
  const problems = textProblems(element.text, `${at}.text`, { max: 75, plainOnly: true });
  const actionId = element.action_id;
  if (typeof actionId !== 'string' || actionId.length === 0 || actionId.length > MAX_ACTION_ID) {
    problems.push(`${at}.action_id invalid`);
  } else if (actionIds.has(actionId)) {
    problems.push(`${at}.action_id "${actionId}" repeated`);
  } else {
    actionIds.add(actionId);
  }
  if (element.value !== undefined && (typeof element.value !== 'string' || element.value.length > 2000)) {
    problems.push(`${at}.value invalid`);
  }
  if (element.url !== undefined && (typeof element.url !== 'string' || element.url.length > 3000)) {
    problems.push(`${at}.url invalid`);
  }
  if (element.style !== undefined && element.style !== 'primary' && element.style !== 'danger') {
    problems.push(`${at}.style invalid`);
  }
  if (element.confirm !== undefined) problems.push(...confirmProblems(element.confirm, `${at}.confirm`));
  return problems;
}

/** A confirmation dialog: title, text, confirm and deny all required; text may be mrkdwn, the rest plain. */
function confirmProblems(confirm: unknown, at: string): string[] {
  if (!isObject(confirm)) return [`${at} must be an object`];
  const problems = [
    ...textProblems(confirm.title, `${at}.title`, { max: 100, plainOnly: true }),
    ...textProblems(confirm.text, `${at}.text`, { max: 300 }),
    ...textProblems(confirm.confirm, `${at}.confirm`, { max: 30, plainOnly: true }),
    ...textProblems(confirm.deny, `${at}.deny`, { max: 30, plainOnly: true }),
  ];
  if (confirm.style !== undefined && confirm.style !== 'primary' && confirm.style !== 'danger') problems.push(`${at}.style invalid`);
  return problems;
}

function textProblems(text: unknown, at: string, rule: { max: number; plainOnly?: boolean }): string[] {
  if (!isObject(text)) return [`${at} must be a text object`];
  if (text.type !== 'plain_text' && text.type !== 'mrkdwn') return [`${at}.type must be plain_text or mrkdwn`];
  if (rule.plainOnly && text.type !== 'plain_text') return [`${at}.type must be plain_text`];
  if (typeof text.text !== 'string' || text.text.length === 0) return [`${at}.text must be a non-empty string`];
  if (text.text.length > rule.max) return [`${at}.text is ${text.text.length} characters; the limit is ${rule.max}`];
  return [];
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
