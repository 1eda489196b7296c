/**
 * Extractive TL;DRs on the seed corpus: the share that state the paper's contribution or a finding,
 * judged against test/fixtures/seed-tldr-judgements.json (read by hand), next to the abstract's
 * first sentence as a baseline:
 *   npm run bench:tldr
 */
import { cpus } from 'node:os';
import { extractiveTldr } from '../src/answer/extractive.js';
import { loadCorpus } from '../src/papers/corpus.js';
import { DEFAULT_CORPUS } from '../src/paths.js';
import { splitSentences } from '../src/search/sentences.js';
import { judgeTldrs, loadJudgements } from './lib/tldr-judgements.js';

const { papers } = loadCorpus(DEFAULT_CORPUS);
const judgements = loadJudgements();
const rows: Array<[string, (paper: (typeof papers)[number]) => string]> = [
  ["the abstract's first sentence (baseline)", (paper) => splitSentences(paper.abstract)[0] ?? paper.title],
  ['extractiveTldr', (paper) => extractiveTldr(paper).text],
];

console.log(`TL;DRs of the ${papers.length} seed papers, no LLM; ${cpus()[0]?.model} x${cpus().length}, node ${process.version}\n`);
console.log('| TL;DR | state a contribution or finding |');
console.log('|---|---:|');
let misses: string[] = [];
for (const [label, tldrOf] of rows) {
  const verdicts = judgeTldrs(papers, tldrOf, judgements);
  const good = verdicts.filter((verdict) => verdict.states).length;
  console.log(`| ${label} | ${good}/${verdicts.length} (${((100 * good) / verdicts.length).toFixed(1)}%) |`);
  misses = verdicts.filter((verdict) => !verdict.states).map((verdict) => `${verdict.id}: ${verdict.tldr}`);
}
console.log(`\nextractiveTldr misses:\n${misses.map((miss) => `- ${miss}`).join('\n') || '- none'}`);
