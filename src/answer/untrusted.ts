/**
 * Wraps untrusted text (a query, an abstract, a thread turn) in an XML-like tag that the prompts
 * tell the model to read as data. Angle brackets inside are swapped for look-alikes, so the text
 * can neither close its own tag nor open one of ours.
 */
export function delimit(tag: string, text: string, attributes: Record<string, string | number> = {}): string {
  const attrs = Object.entries(attributes)
    .map(([name, value]) => ` ${name}="${neutralise(String(value)).replace(/"/g, "'")}"`)
    .join('');
  return `<${tag}${attrs}>\n${neutralise(text)}\n</${tag}>`;
}

export function neutralise(text: string): string {
  return text.replace(/</g, '‹').replace(/>/g, '›');
}
