import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Paper } from '../../src/papers/paper.js';
import { projectRoot } from '../../src/paths.js';
import { splitSentences } from '../../src/search/sentences.js';

/** test/fixtures/seed-tldr-judgements.json: per paper, the openings of the sentences judged to state its contribution or a finding. */
export const JUDGEMENTS_FILE = join(projectRoot, 'test', 'fixtures', 'seed-tldr-judgements.json');

export interface TldrVerdict {
  id: string;
  tldr: string;
  /** The abstract sentence the TL;DR was taken from, if any. */
  sentence?: string;
  states: boolean;
}

export function loadJudgements(file = JUDGEMENTS_FILE): Map<string, string[]> {
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as { papers: Record<string, string[]> };
  return new Map(Object.entries(parsed.papers));
}

/**
 * Whether each paper's TL;DR is one of its judged sentences: the TL;DR (an opening clause may have
 * been dropped, a long one cut with "…") must lie inside a sentence whose opening was judged.
 */
export function judgeTldrs(papers: Paper[], tldrOf: (paper: Paper) => string, judgements: Map<string, string[]>): TldrVerdict[] {
  return papers.map((paper) => {
    const judged = judgements.get(paper.id);
    if (!judged) throw new Error(`no judgement for ${paper.id}`);
    const tldr = tldrOf(paper);
    const needle = comparable(tldr.replace(/…$/, ''));
    const sentence = splitSentences(paper.abstract).find((s) => comparable(s).includes(needle));
    const states = sentence !== undefined && judged.some((opening) => comparable(sentence).startsWith(comparable(opening)));
    return { id: paper.id, tldr, ...(sentence ? { sentence } : {}), states };
  });
}

function comparable(text: string): string {
  return text.toLowerCase().replace(/\s+/g, ' ').trim();
}
