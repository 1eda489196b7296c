import type { Paper } from '../papers/paper.js';
import type { TextFeatures } from './features.js';
import { EMPTY_MODEL, score, strongestTerms, topTerms, trainLinearSvm, type Example, type LinearModel } from './model.js';

/** A channel's (or, in a DM, a person's) net vote on a paper. */
export interface Vote {
  paperId: string;
  value: 1 | -1;
}

/** Weaker signs of interest than a vote: what the channel opened, expanded or searched for. */
export type Clue = { kind: 'summarize' | 'more-like' | 'click'; paperId: string } | { kind: 'search'; query: string };

/** Everything a channel told the bot about its taste (since its last reset). */
export interface Signals {
  votes: readonly Vote[];
  clues: readonly Clue[];
  /** The topics typed at /papers subscribe, read as one more thing the channel asked for. */
  topics?: string;
  /** Papers the channel was shown (in its digests) and did not vote on: weak negatives when TasteParams.shownWeight > 0. */
  shown?: readonly string[];
}

export const NO_SIGNALS: Signals = { votes: [], clues: [] };

/**
 * The recommender's constants, in one place so that bench:recommend can measure each lever; the
 * defaults are what the digest runs (chosen on the first half of the benchmark's days, see bench/RESULTS.md).
 */
export interface TasteParams {
  /** A 👍 or 👎 counts 1; a click or search says less about taste than a vote. */
  clueWeight: number;
  topicsWeight: number;
  /**
   * Everything else (the papers being ranked) counts as mildly unwanted, as in arxiv-sanity where every
   * untagged paper is a negative: together they weigh as much as this many votes...
   */
  backgroundWeight: number;
  /** ...and none alone weighs more than this, so that a short list does not push its own papers down. */
  backgroundMaxEach: number;
  /** Papers the channel was shown and did not vote on, each as a negative of this weight (positive-unlabeled); 0: not used. */
  shownWeight: number;
  /** Both sides weigh the same in total (class_weight="balanced"). */
  balance: boolean;
  /** The vote count at which the model and popularity weigh the same in the blend. */
  halfTrustVotes: number;
  /** The SVM's soft-margin cost. */
  C: number;
}

export const DEFAULT_TASTE: TasteParams = {
  clueWeight: 0.3,
  topicsWeight: 0.5,
  backgroundWeight: 1,
  backgroundMaxEach: 0.1,
  shownWeight: 0,
  balance: true,
  halfTrustVotes: 5,
  C: 1,
};

/** A channel's learned taste: the model, and how much to trust it. */
export interface Taste {
  model: LinearModel;
  /** Votes, with clues counted at their weight: how much the model has to go on. */
  evidence: number;
  features: TextFeatures;
  /** Votes at which the blend trusts the model half (TasteParams.halfTrustVotes). */
  halfTrustVotes?: number;
}

/**
 * Trains the channel's model on its votes both ways and its weaker signals, against `background`
 * (the papers about to be ranked) as weak negatives. Votes on papers `lookup` does not know are skipped.
 */
export function learnTaste(
  signals: Signals,
  features: TextFeatures,
  lookup: (id: string) => Paper | undefined,
  background: readonly Paper[] = [],
  params: TasteParams = DEFAULT_TASTE,
): Taste {
  // A paper the features analysed before is known by its id: fetching it again from the index would cost a copy.
  const fetched: Paper[] = [];
  const known = (id: string): boolean => {
    if (features.has(id)) return true;
    const paper = lookup(id);
    if (paper) fetched.push(paper);
    return paper !== undefined;
  };
  const voted = signals.votes.filter((vote) => known(vote.paperId));
  const cluePapers: string[] = [];
  const clueTexts: string[] = [];
  for (const clue of signals.clues) {
    if (clue.kind === 'search') clueTexts.push(clue.query);
    else if (known(clue.paperId)) cluePapers.push(clue.paperId);
  }
  const evidence = voted.length + params.clueWeight * (cluePapers.length + clueTexts.length);
  const halfTrustVotes = params.halfTrustVotes;
  if (!evidence) return { model: EMPTY_MODEL, evidence: 0, features, halfTrustVotes };
  const reacted = new Set([...voted.map((vote) => vote.paperId), ...cluePapers]);
  const shown = params.shownWeight > 0 ? [...new Set(signals.shown)].filter((id) => !reacted.has(id) && known(id)) : [];
  // Every paper is counted into the document frequencies before any is weighed, so that one idf holds throughout.
  features.observe([...fetched, ...background]);
  const vectorOf = (id: string) => features.vectorOf(id)!;

  const examples: Example[] = voted.map((vote) => ({ vector: vectorOf(vote.paperId), label: vote.value, weight: 1 }));
  const clueVectors = [...cluePapers.map(vectorOf), ...clueTexts.map((text) => features.textVector(text))];
  for (const vector of clueVectors) if (vector.size) examples.push({ vector, label: 1, weight: params.clueWeight });
  if (signals.topics?.trim()) {
    const vector = features.textVector(signals.topics);
    if (vector.size) examples.push({ vector, label: 1, weight: params.topicsWeight });
  }
  for (const id of shown) {
    reacted.add(id);
    examples.push({ vector: vectorOf(id), label: -1, weight: params.shownWeight });
  }
  const others = background.filter((paper) => !reacted.has(paper.id));
  if (params.backgroundWeight > 0) {
    for (const paper of others)
      examples.push({
        vector: vectorOf(paper.id),
        label: -1,
        weight: Math.min(params.backgroundMaxEach, params.backgroundWeight / others.length),
      });
  }
  const trained = trainLinearSvm(params.balance ? balanced(examples) : examples, params.C);
  return { model: trained, evidence, features, halfTrustVotes };
}

/**
 * Both sides weigh the same in total (scikit-learn's class_weight="balanced", as arxiv-sanity trains):
 * a channel 👎s most of what it sees, and its rarer 👍s must not be drowned.
 */
function balanced(examples: Example[]): Example[] {
  const total = (label: 1 | -1) => examples.reduce((sum, example) => sum + (example.label === label ? example.weight : 0), 0);
  const positive = total(1);
  const negative = total(-1);
  if (!positive || !negative) return examples;
  const half = (positive + negative) / 2;
  return examples.map((example) => ({ ...example, weight: (example.weight * half) / (example.label === 1 ? positive : negative) }));
}

/** How much the blend leans on the model: 0 with no votes, ½ at halfTrustVotes, towards 1 after. */
export function modelShare(taste: Taste): number {
  const half = taste.halfTrustVotes ?? DEFAULT_TASTE.halfTrustVotes;
  return half <= 0 ? (taste.evidence ? 1 : 0) : taste.evidence / (taste.evidence + half);
}

export interface RankedPaper {
  paper: Paper;
  score: number;
  /** The model's strongest terms that this paper has, as people write them; empty when it did not count. */
  because: string[];
}

const EXPLAINED_TERMS = 3;
const EXPLAINED_FIT = 0.5;

/**
 * Ranks papers by popularity (0..1) blended with the model's score (scaled to 0..1 over these papers),
 * leaning on the model as its evidence grows; with no evidence, the order is popularity alone.
 */
export function rankByTaste(papers: readonly Paper[], taste: Taste, popularity: (paper: Paper) => number): RankedPaper[] {
  const share = modelShare(taste);
  const scored = papers.map((paper) => {
    const vector = share ? taste.features.vector(paper) : undefined;
    return { paper, vector, raw: vector ? score(taste.model, vector) : 0 };
  });
  const low = Math.min(...scored.map((entry) => entry.raw));
  const high = Math.max(...scored.map((entry) => entry.raw));
  const span = high - low || 1;
  return scored
    .map(({ paper, vector, raw }) => {
      const fit = (raw - low) / span;
      // Explained by the model when it puts the paper in the upper part of what is being ranked.
      const because =
        vector && fit >= EXPLAINED_FIT ? readable(strongestTerms(taste.model, vector, EXPLAINED_TERMS * 3), taste.features) : [];
      return { paper, score: (1 - share) * popularity(paper) + share * fit, because };
    })
    .sort((a, b) => b.score - a.score || (a.paper.id < b.paper.id ? -1 : 1));
}

/** What the model has learned the channel likes, as people write it. */
export function learnedInterests(taste: Taste, limit = 8): string[] {
  return readable(topTerms(taste.model, limit * 3), taste.features, limit);
}

/**
 * Terms as written, without repeats: "teacher-student" (a compound the analyzer also splits) makes
 * "teacher" and "student" redundant, "vision r1" is "vision-r1" again, and two phrases that overlap by
 * a word ("retrieval augmented", "augmented generation") read as one ("retrieval augmented generation").
 */
function readable(terms: string[], features: TextFeatures, limit = EXPLAINED_TERMS): string[] {
  const shown: string[] = [];
  for (const term of terms) {
    const written = features.surface(term);
    const merged = shown.map((other) => joined(other, written));
    const at = merged.findIndex((text) => text !== undefined);
    if (at >= 0) {
      const longer = merged[at]!;
      shown[at] = longer;
      // What the longer term now says need not be said again ("augmented" once "retrieval-augmented" is shown).
      for (let i = shown.length - 1; i >= 0; i--) if (i !== at && contains(wordsOf(longer), wordsOf(shown[i]!))) shown.splice(i, 1);
      continue;
    }
    if (shown.length === limit) break;
    shown.push(written);
  }
  return shown;
}

const WORD_SEPARATOR = /[-‐‑_.\s]+/;
const wordsOf = (text: string) => text.toLowerCase().split(WORD_SEPARATOR);
/** "retrieval-augmented" → "augmented", "augmented generation" → "generation": the written form kept. */
const withoutFirstWord = (text: string) => text.replace(/^[^-‐‑_.\s]+[-‐‑_.\s]+/, '');

/** The two as one term when one says the other (the longer kept) or they overlap by a word; else undefined. */
function joined(a: string, b: string): string | undefined {
  const [x, y] = [wordsOf(a), wordsOf(b)];
  if (contains(x, y)) return a;
  if (contains(y, x)) return b;
  if (x.length > 1 && y.length > 1) {
    if (x.at(-1) === y[0]) return `${a} ${withoutFirstWord(b)}`;
    if (y.at(-1) === x[0]) return `${b} ${withoutFirstWord(a)}`;
  }
  return undefined;
}

/** Whether `inner` appears in `outer` as consecutive words. */
function contains(outer: string[], inner: string[]): boolean {
  for (let start = 0; start + inner.length <= outer.length; start++) {
    if (inner.every((word, i) => outer[start + i] === word)) return true;
  }
  return false;
}
