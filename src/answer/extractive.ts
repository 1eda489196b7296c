import type { Paper } from '../papers/paper.js';
import type { SummaryKind, Tldr } from './types.js';
import { splitSentences } from '../search/sentences.js';
import { limitWords } from './limit-words.js';
import { terms } from './terms.js';
import { isSecondary, refersBack, roleOf, standalone } from './contribution.js';

export const TLDR_MAX_WORDS = 30;
/** Extractive bullets are whole sentences, cut only when a sentence runs on. */
const BULLET_MAX_WORDS = 50;
/** What a sentence's role is worth against one shared query term, in a bullet's score. */
const ROLE_WEIGHT = 0.4;
/** A sentence that points at something it does not name ("this problem") reads worse alone. */
const REFERENCE_PENALTY = 1.5;
/** "We also…", "Finally, we…": a proposal the paper adds, not its main one. */
const SECONDARY_PENALTY = 1.2;
/** Hugging Face's summary is written to be read alone and states the contribution: it wins close calls. */
const AI_SUMMARY_ROLE = 3.5;

export interface ExtractiveAnswer {
  kind: Extract<SummaryKind, 'extractive' | 'hf-ai-summary'>;
  bullets: string[];
  cited: number[];
  /** Said to the reader instead of the generic notice when there is no LLM (what to do to get one). */
  note?: string;
}

/** One sentence of an abstract (or Hugging Face's summary, position -1) that can be read alone. */
export interface Sentence {
  position: number;
  text: string;
  fromAiSummary: boolean;
  /** How well it states the paper's contribution or finding, penalised when it points back. */
  worth: number;
  /** It points at something it does not name ("this challenge"): never a bullet. */
  pointsBack: boolean;
}

interface Candidate extends Sentence {
  n: number;
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
 * how many query terms they share, stemmed, plus how plainly they state the paper's contribution.
 * Bullets go round-robin over the papers, best first, and cite their paper as [n] just like the LLM's.
 */
export function extractiveAnswer(query: string, papers: Paper[], options: SelectOptions): ExtractiveAnswer {
  const queryTerms = new Set(terms(query));
  const perPaper = papers.map((paper, i) =>
    candidatesOf(paper, i + 1, queryTerms)
      .filter((candidate) => !options.requireOverlap || candidate.overlap > 0)
      .sort((a, b) => b.score - a.score || a.position - b.position),
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

/** One sentence of at most 30 words: Hugging Face's summary, else the abstract's contribution sentence. */
export function extractiveTldr(paper: Paper): Tldr {
  if (paper.aiSummary) return { text: limitWords(paper.aiSummary, TLDR_MAX_WORDS), kind: 'hf-ai-summary' };
  const best = contributionSentence(paper);
  return { text: limitWords(best?.text ?? paper.title, TLDR_MAX_WORDS), kind: 'extractive' };
}

/** The abstract's sentence that best states what the paper proposes or finds, readable alone. */
export function contributionSentence(paper: Paper, skip: readonly string[] = []): Sentence | undefined {
  return sentencesOf({ ...paper, aiSummary: undefined })
    .filter((sentence) => !skip.includes(sentence.text))
    .sort((a, b) => b.worth - a.worth || a.position - b.position)[0];
}

/** Every sentence of the paper that reads alone, with its worth as a summary. */
export function sentencesOf(paper: Paper): Sentence[] {
  const fromAbstract = splitSentences(paper.abstract).flatMap((raw, position): Sentence[] => {
    const text = standalone(raw);
    if (!text || text.split(/\s+/).length < 5) return [];
    const role = roleOf(text);
    const pointsBack = refersBack(text);
    const worth = role - (pointsBack ? REFERENCE_PENALTY : 0) - (role === 3 && isSecondary(raw) ? SECONDARY_PENALTY : 0);
    return [{ position, text, fromAiSummary: false, worth, pointsBack }];
  });
  return paper.aiSummary
    ? [{ position: -1, text: paper.aiSummary, fromAiSummary: true, worth: AI_SUMMARY_ROLE, pointsBack: false }, ...fromAbstract]
    : fromAbstract;
}

function candidatesOf(paper: Paper, n: number, queryTerms: Set<string>): Candidate[] {
  const readable = sentencesOf(paper).filter((sentence) => !sentence.pointsBack);
  // Background ("Many recent breakthroughs…") only for a paper whose abstract states nothing of its own.
  const stated = readable.filter((sentence) => sentence.worth > 0);
  return (stated.length ? stated : readable).map((sentence) => {
    const overlap = new Set(terms(sentence.text).filter((term) => queryTerms.has(term))).size;
    return { ...sentence, n, overlap, score: overlap + ROLE_WEIGHT * sentence.worth };
  });
}
