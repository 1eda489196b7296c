/**
 * Acronyms a corpus defines itself, as "long form (SHORT)" (Schwartz & Hearst, "A simple
 * algorithm for identifying abbreviation definitions in biomedical text", PSB 2003), so that
 * any field's papers expand their own acronyms and contradict a general table's.
 */
import { getOrAdd } from '../lib/get-or-add.js';

/** One definition found in a text. */
export interface AcronymDefinition {
  short: string;
  long: string;
}

// "(SHORT)" or "(SHORT;" / "(SHORT," : the candidate short form and what stands before it.
const PARENTHESIS = /\(([^()\s;,]{2,10})[);,]/g;
const LETTER = /\p{L}/u;
const CAPITAL = /\p{Lu}/u;
const ALNUM = /[\p{L}\p{N}]/u;
// The long form is looked for in the same sentence, before the parenthesis.
const SENTENCE_START = /[.!?;:]\s|[([]/g;

/** The definitions in a text, in order. A short form needs a capital letter, and a letter or digit first. */
export function findDefinitions(text: string): AcronymDefinition[] {
  if (!text.includes('(')) return [];
  const found: AcronymDefinition[] = [];
  for (const match of text.matchAll(PARENTHESIS)) {
    const short = match[1]!;
    if (!ALNUM.test(short[0]!) || !CAPITAL.test(short) || !LETTER.test(short)) continue;
    const before = sentenceBefore(text, match.index);
    const words = before.split(/\s+/).filter(Boolean);
    const window = words.slice(-Math.min(short.length + 5, short.length * 2)).join(' ');
    const long = bestLongForm(short, window);
    if (long && long.length > short.length && !long.split(/\s+/).includes(short)) found.push({ short, long });
  }
  return found;
}

function sentenceBefore(text: string, end: number): string {
  const head = text.slice(Math.max(0, end - 200), end);
  let start = 0;
  for (const match of head.matchAll(SENTENCE_START)) start = match.index + match[0].length;
  return head.slice(start).trim();
}

/**
 * Schwartz & Hearst's matching: each letter or digit of the short form, right to left, must
 * be found right to left in the long form, its first character starting a word; the long
 * form starts at the word holding the match for the first character.
 */
function bestLongForm(short: string, long: string): string | undefined {
  let s = short.length - 1;
  let l = long.length - 1;
  while (s >= 0) {
    const c = short[s]!.toLowerCase();
    if (!ALNUM.test(c)) {
      s -= 1;
      continue;
    }
    while (l >= 0 && (long[l]!.toLowerCase() !== c || (s === 0 && l > 0 && ALNUM.test(long[l - 1]!)))) l -= 1;
    if (l < 0) return undefined;
    l -= 1;
    s -= 1;
  }
  return long.slice(long.lastIndexOf(' ', l) + 1);
}

/** Share of an acronym's definitions its commonest long form must have to be trusted. */
const DOMINANT_SHARE = 2 / 3;

/** The definitions a corpus made, counted per short form and long form (lowercased). */
export class AcronymTable {
  private readonly defs = new Map<string, Map<string, { long: string; count: number }>>();
  private changes = 0;

  /** Increases with every definition added, so users can tell their view is stale. */
  get version(): number {
    return this.changes;
  }

  addText(text: string): void {
    for (const definition of findDefinitions(text)) this.add(definition.short, definition.long, 1);
  }

  add(short: string, long: string, count: number): void {
    const forms = getOrAdd(this.defs, short, () => new Map());
    const key = long.toLowerCase();
    const known = forms.get(key);
    if (known) known.count += count;
    else forms.set(key, { long, count });
    this.changes += 1;
  }

  /** Every definition, for serializing: [short, long, count]. */
  entries(): [string, string, number][] {
    return [...this.defs].flatMap(([short, forms]) =>
      [...forms.values()].map(({ long, count }): [string, string, number] => [short, long, count]),
    );
  }

  /** The long forms the corpus gives a short form (lowercased), if it defines it at all. */
  longForms(short: string): string[] | undefined {
    const forms = this.defs.get(short);
    return forms && [...forms.keys()];
  }

  /** Each short form with the long form most of its definitions agree on; ambiguous ones left out. */
  dominant(): AcronymDefinition[] {
    const out: AcronymDefinition[] = [];
    for (const [short, forms] of this.defs) {
      let total = 0;
      let best: { long: string; count: number } | undefined;
      for (const form of forms.values()) {
        total += form.count;
        if (!best || form.count > best.count) best = form;
      }
      if (best && best.count >= DOMINANT_SHARE * total) out.push({ short, long: best.long });
    }
    return out;
  }
}
