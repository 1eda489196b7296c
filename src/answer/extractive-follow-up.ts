import type { Paper } from '../papers/paper.js';
import { NO_ANSWER } from './citations.js';
import { contributionSentence, sentencesOf, type ExtractiveAnswer } from './extractive.js';
import { limitWords } from './limit-words.js';
import { asksToCompare, referencedPapers } from './references.js';
import { terms } from './terms.js';

/** What a reader is told when a follow-up gets no LLM: plainly, and how to get one. */
export const FOLLOW_UP_NEEDS_LLM =
  'Follow-up questions need an LLM: set OPENAI_API_KEY (or OPENAI_BASE_URL for a local server such as Ollama) and restart. Without one, this is what the abstracts say.';

const MAX_COMPARED = 4;
const MAX_MATCHES = 3;
const SENTENCE_MAX_WORDS = 50;
// Words a question is made of that say nothing about its subject.
const QUESTION_WORDS = new Set(
  terms(
    'which what who whom whose how why when where best most least better worse one ones these those them they any all paper papers model models tell explain mean does do use used much many more less good well work works give say said about there than other each between related kind way compare',
  ),
);

/**
 * A follow-up answered without an LLM, honestly: for "compare the first two" or "[2] and [3]",
 * what each named paper proposes and finds, side by side; for another question, the thread papers'
 * sentences that, with their paper's title, carry at least half its content words, or nothing.
 */
export function extractiveFollowUp(question: string, papers: Paper[]): ExtractiveAnswer {
  const named = referencedPapers(question, papers.length);
  const compare = asksToCompare(question);
  if (named.length > 0 || (compare && papers.length >= 2)) {
    const numbers =
      named.length >= 2 || !compare
        ? named
        : named.length === 1
          ? [named[0]!, ...[1, 2].filter((n) => n !== named[0])].slice(0, 2)
          : [1, 2];
    return sideBySide(numbers.slice(0, MAX_COMPARED), papers);
  }
  return matchingSentences(question, papers);
}

function sideBySide(numbers: number[], papers: Paper[]): ExtractiveAnswer {
  const bullets = numbers.flatMap((n) => {
    const paper = papers[n - 1]!;
    // Hugging Face's summary, written to be read alone, says it best; then the abstract's own words.
    const main = paper.aiSummary ? { text: paper.aiSummary, worth: 3 } : contributionSentence(paper);
    const finding = main ? contributionSentence(paper, [main.text]) : undefined;
    const said = [main, finding && finding.worth >= 2 ? finding : undefined]
      .filter((s) => s !== undefined)
      .map((s) => limitWords(s.text, SENTENCE_MAX_WORDS));
    return [`${paper.title}: ${said.join(' ') || 'its abstract states no contribution I can quote.'} [${n}]`];
  });
  return { kind: 'extractive', bullets, cited: numbers, note: FOLLOW_UP_NEEDS_LLM };
}

function matchingSentences(question: string, papers: Paper[]): ExtractiveAnswer {
  const wanted = new Set(terms(question).filter((term) => !QUESTION_WORDS.has(term)));
  const floor = Math.max(1, Math.ceil(wanted.size / 2));
  const matches = papers
    .flatMap((paper, i) => {
      // A sentence is read with its paper's title: "which adds an auxiliary head?" is answered by
      // "Dual-Head Distillation with an Auxiliary Head"'s sentence about its heads.
      const titled = terms(paper.title).filter((term) => wanted.has(term));
      return sentencesOf({ ...paper, aiSummary: undefined }).map((sentence) => {
        const own = terms(sentence.text).filter((term) => wanted.has(term));
        return { n: i + 1, sentence, own: own.length, overlap: new Set([...own, ...titled]).size };
      });
    })
    .filter((match) => wanted.size > 0 && match.own > 0 && match.overlap >= floor)
    .sort((a, b) => b.overlap - a.overlap || b.own - a.own || b.sentence.worth - a.sentence.worth || a.n - b.n)
    .slice(0, MAX_MATCHES);
  if (matches.length === 0) return { kind: 'extractive', bullets: [NO_ANSWER], cited: [], note: FOLLOW_UP_NEEDS_LLM };
  matches.sort((a, b) => a.n - b.n || a.sentence.position - b.sentence.position);
  return {
    kind: 'extractive',
    bullets: matches.map((match) => `${limitWords(match.sentence.text, SENTENCE_MAX_WORDS)} [${match.n}]`),
    cited: [...new Set(matches.map((match) => match.n))],
    note: FOLLOW_UP_NEEDS_LLM,
  };
}
