/**
 * bench:recommend:levers — why the learned digest is where it is, and which of the recommender's
 * constants to run. Same simulated channels and days as bench:recommend (bench/lib/recommend-sim.ts),
 * the learned digest only (votes, no typed topics), once per variant of TasteParams and of the
 * simulation. Parameters are chosen on the FIRST half of the judged days (by date) and the table is
 * reported for the second half as well: nothing is tuned to particular days.
 *
 * Diagnostics besides the levers: votes without noise, every shown paper voted, and a ceiling (a model
 * trained on the true labels of every judged paper of the days before, no votes needed) — how much of
 * a day's relevant papers the text features can separate at all.
 *
 * Flags: --channels N (default 24), --seed S (default 1), --only a,b (variant names).
 */
import type { Paper } from '../src/papers/paper.js';
import { TextFeatures } from '../src/recommend/features.js';
import { score, trainLinearSvm, type Example } from '../src/recommend/model.js';
import { popularity } from '../src/recommend/popularity.js';
import { DEFAULT_TASTE, learnTaste, rankByTaste, type TasteParams } from '../src/recommend/taste.js';
import { loadHfDays, type HfDay } from './lib/hf-days.js';
import { seededRandom } from './lib/random.js';
import {
  buckets,
  halfOf,
  isRelevant,
  labelledDays,
  mean,
  newRun,
  pickChannels,
  PROTOCOL,
  recentlyPosted,
  signalsOf,
  type Run,
} from './lib/recommend-sim.js';
import { flag } from './lib/scifact.js';
import { cpus } from 'node:os';

interface Variant {
  name: string;
  params?: Partial<TasteParams>;
  /** The papers carry HF's ai_keywords (as in production), weighed this much: the field the labels come from. */
  keywords?: number;
  /** Two-word phrases beside single words (the default); false: single words only, as before. */
  phrases?: boolean;
  wrongVote?: number;
  voteProbability?: number;
  /** Rank by a model trained on the true labels of all earlier judged papers (no votes). */
  ceiling?: boolean;
}

const VARIANTS: Variant[] = [
  { name: 'shipped (defaults)' },
  { name: 'words only (no two-word phrases)', phrases: false },
  { name: 'C=0.1', params: { C: 0.1 } },
  { name: 'C=0.3', params: { C: 0.3 } },
  { name: 'C=3', params: { C: 3 } },
  { name: 'no class balance', params: { balance: false } },
  { name: 'no background negatives', params: { backgroundWeight: 0 } },
  { name: 'shown-unvoted negatives 0.1 (PU)', params: { shownWeight: 0.1 } },
  { name: 'shown-unvoted negatives 0.3 (PU)', params: { shownWeight: 0.3 } },
  { name: 'blend half-trust 2 votes', params: { halfTrustVotes: 2 } },
  { name: 'blend half-trust 15 votes', params: { halfTrustVotes: 15 } },
  { name: 'model only (no popularity)', params: { halfTrustVotes: 0 } },
  { name: 'diag: votes never wrong', wrongVote: 0 },
  { name: 'diag: every shown paper voted', voteProbability: 1 },
  { name: 'diag: ceiling (true labels of all earlier papers)', ceiling: true },
  { name: 'diag: ceiling, words only', ceiling: true, phrases: false },
  { name: 'keywords ×2 (ai_keywords: the label field)', keywords: 2 },
  { name: 'keywords ×4 (ai_keywords: the label field)', keywords: 4 },
];

interface Sample {
  half: 'first' | 'second';
  votes: number;
  score: number;
  /** The channel's 👍 so far, and how many of them are wrong (on papers not relevant to it). */
  up: number;
  wrongUp: number;
  /** Relevant papers the day had for the channel (fresh), and candidates. */
  reachable: number;
  candidates: number;
}

function simulate(variant: Variant, days: HfDay[], labelled: HfDay[], channelCount: number, seed: number): Sample[] {
  const channels = pickChannels(labelled, channelCount, seededRandom(seed));
  const random = seededRandom(seed + 7);
  const params = { ...DEFAULT_TASTE, ...variant.params };
  const wrongVote = variant.wrongVote ?? PROTOCOL.wrongVote;
  const voteProbability = variant.voteProbability ?? PROTOCOL.voteProbability;
  const features = new TextFeatures({
    ...(variant.keywords ? { keywordWeight: variant.keywords } : {}),
    ...(variant.phrases === false ? { phrases: false } : {}),
  });
  const papers = new Map<string, Paper>();
  const judgedDays = new Set(labelled.map((day) => day.date));
  const half = halfOf(labelled);
  const runs = new Map(channels.map((channel) => [channel.id, newRun()]));
  const history: Array<{ paper: Paper; keywords: string[] }> = [];
  const samples: Sample[] = [];
  // Per channel, every paper judged relevant to it so far (to tell a wrong 👍 later).
  const relevantEver = new Map(channels.map((channel) => [channel.id, new Set<string>()]));

  for (const day of days) {
    const today = day.papers.map(({ paper, aiKeywords }) => (variant.keywords ? { ...paper, keywords: aiKeywords.slice(0, 32) } : paper));
    for (const paper of today) papers.set(paper.id, paper);
    features.observe(today);
    if (!judgedDays.has(day.date)) continue;
    const judged = day.papers.flatMap((entry, i) => (entry.aiKeywords.length ? [{ paper: today[i]!, keywords: entry.aiKeywords }] : []));
    const candidates = judged.map((entry) => entry.paper);
    const keywordsOf = new Map(judged.map((entry) => [entry.paper.id, entry.keywords]));
    for (const channel of channels) {
      const run = runs.get(channel.id)!;
      const relevant = (paper: Paper) => isRelevant(keywordsOf.get(paper.id) ?? [], channel.areas);
      const open = recentlyPosted(run, day.date);
      const fresh = candidates.filter((paper) => !open.has(paper.id) && run.votes.get(paper.id) !== -1);
      const shown = variant.ceiling
        ? ceilingDigest(fresh, history, channel.areas, features)
        : learnedDigest(run, fresh, features, papers, params);
      const reachable = fresh.filter(relevant).length;
      for (const paper of candidates) if (relevant(paper)) relevantEver.get(channel.id)!.add(paper.id);
      if (reachable) {
        const up = [...run.votes].filter(([, value]) => value === 1).map(([id]) => id);
        samples.push({
          half: half(day.date),
          votes: run.votes.size,
          score: shown.filter(relevant).length / Math.min(reachable, PROTOCOL.digestSize),
          up: up.length,
          wrongUp: up.filter((id) => !relevantEver.get(channel.id)!.has(id)).length,
          reachable,
          candidates: fresh.length,
        });
      }
      for (const paper of shown) run.posted.set(paper.id, day.date);
      for (const paper of shown) {
        if (random() >= voteProbability) continue;
        const right = relevant(paper) ? 1 : -1;
        run.votes.set(paper.id, random() < wrongVote ? (-right as 1 | -1) : right);
      }
    }
    history.push(...judged);
  }
  return samples;
}

/** The learned digest as selectDigest composes it for a channel with no typed topics. */
function learnedDigest(run: Run, fresh: Paper[], features: TextFeatures, papers: Map<string, Paper>, params: TasteParams): Paper[] {
  const taste = learnTaste(signalsOf(run), features, (id) => papers.get(id), fresh, params);
  const maxUpvotes = Math.max(1, ...fresh.map((paper) => paper.upvotes));
  const ranked = rankByTaste(fresh, taste, (paper) => popularity(paper, maxUpvotes)).map((entry) => entry.paper);
  const liked = ranked.filter((paper) => run.votes.get(paper.id) === 1);
  return [...liked, ...ranked.filter((paper) => run.votes.get(paper.id) !== 1)].slice(0, PROTOCOL.digestSize);
}

/** What the features could do with perfect, complete feedback: an SVM on every earlier judged paper's true label. */
function ceilingDigest(
  fresh: Paper[],
  history: Array<{ paper: Paper; keywords: string[] }>,
  areas: string[],
  features: TextFeatures,
): Paper[] {
  const examples: Example[] = history.map(({ paper, keywords }) => ({
    vector: features.vector(paper),
    label: isRelevant(keywords, areas) ? 1 : -1,
    weight: 1,
  }));
  const positives = examples.filter((example) => example.label === 1).length;
  if (!positives) return fresh.slice(0, PROTOCOL.digestSize);
  // Balanced, as the recommender trains.
  for (const example of examples)
    example.weight = example.label === 1 ? examples.length / (2 * positives) : examples.length / (2 * (examples.length - positives));
  const model = trainLinearSvm(examples);
  return [...fresh].sort((a, b) => score(model, features.vector(b)) - score(model, features.vector(a))).slice(0, PROTOCOL.digestSize);
}

/** The standard error of the mean (channel-days taken as independent, which flatters it a little). */
function standardError(values: number[]): number {
  const m = mean(values);
  return Math.sqrt(values.reduce((sum, v) => sum + (v - m) ** 2, 0) / (values.length - 1) / values.length);
}

function main(): void {
  const channelCount = Number(flag('channels') ?? 24);
  const seed = Number(flag('seed') ?? 1);
  const only = flag('only')?.split(',');
  const days = loadHfDays();
  const labelled = labelledDays(days);
  const half = halfOf(labelled);
  const firstDays = labelled.filter((day) => half(day.date) === 'first');
  console.log(
    `bench:recommend:levers — ${channelCount} channels, ${labelled.length} judged days; parameters chosen on the first half ` +
      `(${firstDays[0]!.date} .. ${firstDays.at(-1)!.date}), reported on both. ${cpus()[0]?.model} (${cpus().length} cores), Node ${process.version}`,
  );
  const fmt = (x: number) => (Number.isNaN(x) ? '  –  ' : x.toFixed(3));
  const bucketLabels = buckets().map((bucket) => bucket.label);
  console.log(
    `| variant | ${bucketLabels.map((label) => `1st half ${label}`).join(' | ')} | ${bucketLabels.map((label) => `2nd half ${label}`).join(' | ')} | all 40+ (± 2 SE) | s |`,
  );
  console.log(`|---|${bucketLabels.map(() => '---|---|').join('')}---|---|`);
  const notes: string[] = [];
  for (const variant of VARIANTS.filter((v) => !only || only.some((name) => v.name.startsWith(name)))) {
    const started = performance.now();
    const samples = simulate(variant, days, labelled, channelCount, seed);
    const cell = (which: 'first' | 'second', holds: (votes: number) => boolean) =>
      fmt(mean(samples.filter((s) => s.half === which && holds(s.votes)).map((s) => s.score)));
    const cells = (which: 'first' | 'second') => buckets().map(({ holds }) => cell(which, holds));
    const late = samples.filter((s) => s.votes >= 40).map((s) => s.score);
    const all40 = `${fmt(mean(late))} ± ${fmt(2 * standardError(late))}`;
    if (variant === VARIANTS[0]) {
      const late = samples.filter((s) => s.votes >= 40);
      notes.push(
        `At 40+ votes (${variant.name}): ${mean(late.map((s) => s.up)).toFixed(1)} 👍 per channel on average, ` +
          `${((100 * late.reduce((a, s) => a + s.wrongUp, 0)) / late.reduce((a, s) => a + s.up, 0)).toFixed(0)}% of them wrong; ` +
          `a judged day has ${mean(late.map((s) => s.reachable)).toFixed(2)} relevant fresh papers among ${mean(late.map((s) => s.candidates)).toFixed(1)}; ` +
          `random top 5 would score ≈ ${mean(late.map((s) => Math.min(5, s.candidates) / s.candidates)).toFixed(3)}.`,
      );
    }
    console.log(
      `| ${variant.name} | ${cells('first').join(' | ')} | ${cells('second').join(' | ')} | ${all40} | ${((performance.now() - started) / 1000).toFixed(0)} |`,
    );
  }
  for (const note of notes) console.log(note);
}

main();
