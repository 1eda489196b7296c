import type { Paper } from '../papers/paper.js';
import type { SummaryKind, Tldr } from './types.js';
import { NO_ANSWER } from './citations.js';
import { splitSentences } from '../search/sentences.js';
import { limitWords } from './limit-words.js';
import { terms } from './terms.js';

export const TLDR_MAX_WORDS = 30;
/** Extractive bullets are whole sentences, cut only when a sentence runs on. */
const BULLET_MAX_WORDS = 50;
/** A sentence's place in its abstract matters a little: openings state the contribution. */
const LEAD_BONUS = [0.6, 0.3, 0.1];
/** Hugging Face's summary is written to be read alone, so it wins close calls. */
const AI_SUMMARY_BONUS = 1;
const CONTRIBUTION = /\b(?:we|this (?:paper|work|study)|here)\s+(?:\w+\s+){0,2}?(?:propose|present|introduce|develop|study|investigate|show|demonstrate)/i;

export interface ExtractiveAnswer {
  kind: Extract<SummaryKind, 'extractive' | 'hf-ai-summary'>;
  bullets: string[];
  cited: number[];
}

interface Candidate {
  n: number;
  position: number;
  text: string;
  fromAiSummary: boolean;
  overlap: number;
  score: number;
}

export interface SelectOptions {
  minBullets: number;
  maxBullets: number;
  /** Keep only sentences sharing a term with the query (a question needs an answer, not a lead). */
  requireOverlap?: boolean;
}

/**
 * Query-focused sentence selection: each paper's sentences (and its Hugging Face summary) scored by
 * how many query terms they share, stemmed, plus a small lead bonus. Bullets go round-robin over the
 * papers, best first, and cite their paper as [n] just like the LLM's.
 */
export function extractiveAnswer(query: string, papers: Paper[], options: SelectOptions): ExtractiveAnswer {
  const queryTerms = new Set(terms(query));
  const perPaper = papers.map((paper, i) =>
    candidatesOf(paper, i + 1, queryTerms)
      .filter((candidate) => !options.requireOverlap || candidate.overlap > 0)
      .sort((a, b) => b.score - a.score),
  );
  const perPaperCap = Math.max(1, Math.ceil(options.minBullets / Math.max(1, papers.length)));
  const chosen: Candidate[] = [];
  for (let round = 0; round < perPaperCap; round++) {
    const roundBest = perPaper
      .map((candidates) => candidates[round])
      .filter((candidate): candidate is Candidate => candidate !== undefined)
      .sort((a, b) => b.score - a.score);
    chosen.push(...roundBest.slice(0, options.maxBullets - chosen.length));
  }
  chosen.sort((a, b) => a.n - b.n || a.position - b.position);
  return {
    kind: chosen.length > 0 && chosen.every((candidate) => candidate.fromAiSummary) ? 'hf-ai-summary' : 'extractive',
    bullets: chosen.map((candidate) => `${limitWords(candidate.text, BULLET_MAX_WORDS)} [${candidate.n}]`),
    cited: [...new Set(chosen.map((candidate) => candidate.n))],
  };
}

/** A follow-up answered from the abstracts' sentences that share terms with the question. */
export function extractiveFollowUp(question: string, papers: Paper[]): ExtractiveAnswer {
  const answer = extractiveAnswer(question, papers, { minBullets: 1, maxBullets: 3, requireOverlap: true });
  return answer.bullets.length > 0 ? answer : { kind: 'extractive', bullets: [NO_ANSWER], cited: [] };
}

/** One sentence of at most 30 words: Hugging Face's summary, else the abstract's contribution sentence. */
export function extractiveTldr(paper: Paper): Tldr {
  if (paper.aiSummary) return { text: limitWords(paper.aiSummary, TLDR_MAX_WORDS), kind: 'hf-ai-summary' };
  const sentences = splitSentences(paper.abstract);
  const sentence = sentences.find((s) => CONTRIBUTION.test(s)) ?? sentences[0] ?? paper.title;
  return { text: limitWords(sentence, TLDR_MAX_WORDS), kind: 'extractive' };
}

function candidatesOf(paper: Paper, n: number, queryTerms: Set<string>): Candidate[] {
  const sentences = splitSentences(paper.abstract).map((text, position) => ({ text, position, fromAiSummary: false }));
  const texts = paper.aiSummary ? [{ text: paper.aiSummary, position: -1, fromAiSummary: true }, ...sentences] : sentences;
  return texts
    .filter(({ text }) => text.split(/\s+/).length >= 5)
    .map(({ text, position, fromAiSummary }) => {
      const overlap = new Set(terms(text).filter((term) => queryTerms.has(term))).size;
      const bonus = fromAiSummary ? AI_SUMMARY_BONUS : (LEAD_BONUS[position] ?? 0);
      return { n, position, text, fromAiSummary, overlap, score: overlap + bonus };
    });
}
