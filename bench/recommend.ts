/**
 * bench:recommend — does each channel's learned digest find what the channel cares about?
 *
 * Simulated channels on the real Daily Papers days in ../shared/benchmarks/hf-daily (PROVENANCE.md).
 * Each channel's interest is hidden from the recommender: a few research areas named through the items'
 * `ai_keywords` (written by Hugging Face, not by our analyzer; the papers given to the ranking carry no
 * keywords). Day by day the channel gets its top-5 digest and votes on some of what it sees, some votes
 * wrong. Reported per vote-count bucket and per month, averaged over the channels: the share of the day's
 * relevant papers that reached the top 5, over the best possible share (the oracle), for the learned digest
 * and two baselines on the same days (trending order; the channel's areas typed as /papers subscribe topics,
 * today's filter). Also: how long a model takes to retrain after a vote, and its memory.
 *
 * Parameters are fixed for any stretch of days (nothing is chosen per day): see PROTOCOL below.
 * Flags: --channels N (default 24), --seed S (default 1).
 */
import { selectDigest } from '../src/digest/select.js';
import type { Paper } from '../src/papers/paper.js';
import { featuresFor, learnTaste } from '../src/recommend/index.js';
import { buildIndex } from '../src/search/index.js';
import type { PaperIndex } from '../src/search/types.js';
import { loadHfDays, type HfDay } from './lib/hf-days.js';
import { percentile } from './lib/percentile.js';
import { seededRandom } from './lib/random.js';
import { flag } from './lib/scifact.js';
import { cpus } from 'node:os';
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
  type Channel,
  type Run,
} from './lib/recommend-sim.js';

interface Sample {
  channel: string;
  month: string;
  /** Which half of the judged days (by date): parameters may be chosen on the first only. */
  half: 'first' | 'second';
  votes: number;
  learned: number;
  trending: number;
  topics: number;
  /** The channel typed its areas as topics and votes too: the digest as shipped for such a channel. */
  both: number;
}

function main(): void {
  const channelCount = Number(flag('channels') ?? 24);
  const seed = Number(flag('seed') ?? 1);
  const random = seededRandom(seed);
  const started = performance.now();
  const days = loadHfDays();
  const labelled = labelledDays(days);
  const half = halfOf(labelled);
  const channels = pickChannels(labelled, channelCount, random);
  const firstLabelled = labelled[0]!.date;

  // The index (for the typed-topic baseline and the papers' text) grows day by day, as ingestion grows it.
  const index: PaperIndex = buildIndex([]);
  const features = featuresFor(index);
  const runs = new Map(
    channels.map((channel) => [channel.id, { learned: newRun(), trending: newRun(), topics: newRun(), both: newRun() }]),
  );
  // Votes of the topics-and-votes run draw from their own stream, so that adding it changes no other column.
  const bothRandom = seededRandom(seed + 1_000);
  const samples: Sample[] = [];
  const retrainMs: Array<{ votes: number; ms: number }> = [];
  let dislikedShown = 0;

  for (const day of days) {
    const dayPapers = day.papers.map((entry) => entry.paper);
    index.upsert(dayPapers);
    features.observe(dayPapers);
    if (day.date < firstLabelled || !labelled.includes(day)) continue;
    // Only items with labels take part: an item without ai_keywords cannot be judged.
    const judged = day.papers.filter((entry) => entry.aiKeywords.length);
    const candidates = judged.map((entry) => entry.paper);
    const keywordsOf = new Map(judged.map((entry) => [entry.paper.id, entry.aiKeywords]));

    for (const channel of channels) {
      const run = runs.get(channel.id)!;
      const relevant = (paper: Paper) => isRelevant(keywordsOf.get(paper.id) ?? [], channel.areas);
      const digestFor = (which: Run, topics: string, learn: boolean) =>
        selectDigest(
          {
            trending: candidates,
            topics,
            alreadyPosted: recentlyPosted(which, day.date),
            liked: [...which.votes].filter(([, v]) => v > 0).map(([id]) => id),
            disliked: [...which.votes].filter(([, v]) => v < 0).map(([id]) => id),
            ...(learn ? { signals: signalsOf(which) } : {}),
            limit: PROTOCOL.digestSize,
          },
          index,
        ).map((pick) => pick.paper);

      const learned = digestFor(run.learned, '', true);
      const trending = digestFor(run.trending, '', false);
      const topics = digestFor(run.topics, channel.areas.join(', '), false);
      const both = digestFor(run.both, channel.areas.join(', '), true);
      dislikedShown += learned.filter((paper) => run.learned.votes.get(paper.id) === -1).length;
      dislikedShown += both.filter((paper) => run.both.votes.get(paper.id) === -1).length;

      // The oracle: every relevant paper the learned digest could have shown today (fresh, not 👎'd).
      const open = recentlyPosted(run.learned, day.date);
      const reachable = candidates.filter(
        (paper) => relevant(paper) && !open.has(paper.id) && run.learned.votes.get(paper.id) !== -1,
      ).length;
      const score = (shown: Paper[]) => shown.filter(relevant).length / Math.min(reachable, PROTOCOL.digestSize);
      if (reachable > 0) {
        samples.push({
          channel: channel.id,
          month: day.date.slice(0, 7),
          half: half(day.date),
          votes: run.learned.votes.size,
          learned: score(learned),
          trending: score(trending),
          topics: score(topics),
          both: score(both),
        });
      }

      for (const [which, shown] of [
        [run.learned, learned],
        [run.trending, trending],
        [run.topics, topics],
        [run.both, both],
      ] as const) {
        for (const paper of shown) which.posted.set(paper.id, day.date);
      }
      // The channel votes on some of what it was shown, sometimes wrongly; only the learned run learns from it.
      let voted = false;
      for (const paper of learned) {
        if (random() >= PROTOCOL.voteProbability) continue;
        const right = relevant(paper) ? 1 : -1;
        run.learned.votes.set(paper.id, random() < PROTOCOL.wrongVote ? (-right as 1 | -1) : right);
        voted = true;
      }
      for (const paper of both) {
        if (bothRandom() >= PROTOCOL.voteProbability) continue;
        const right = relevant(paper) ? 1 : -1;
        run.both.votes.set(paper.id, bothRandom() < PROTOCOL.wrongVote ? (-right as 1 | -1) : right);
      }
      if (voted) {
        const t0 = performance.now();
        learnTaste(signalsOf(run.learned), features, (id) => index.get(id), candidates);
        retrainMs.push({ votes: run.learned.votes.size, ms: performance.now() - t0 });
      }
    }
  }

  report(channels, samples, retrainMs, dislikedShown, index, features, runs, performance.now() - started, labelled);
}

function report(
  channels: Channel[],
  samples: Sample[],
  retrainMs: Array<{ votes: number; ms: number }>,
  dislikedShown: number,
  index: PaperIndex,
  features: ReturnType<typeof featuresFor>,
  runs: Map<string, { learned: Run; both: Run }>,
  elapsedMs: number,
  labelled: HfDay[],
): void {
  const fmt = (x: number) => (Number.isNaN(x) ? '  –  ' : x.toFixed(3));
  const out: string[] = [];
  out.push(
    `bench:recommend — ${channels.length} channels, ${labelled.length} labelled days (${labelled[0]!.date} .. ${labelled.at(-1)!.date}), index ${index.size} papers`,
  );
  out.push(`Machine: ${cpus()[0]?.model} (${cpus().length} cores), Node ${process.version}; ran ${(elapsedMs / 1000).toFixed(1)} s`);
  out.push('');
  out.push("Share of the day's relevant papers in the top 5, over the oracle (mean over channel-days):");
  out.push('| votes so far | channel-days | channels | learned | trending only | typed-topic filter | typed topics + learned |');
  out.push('|---|---|---|---|---|---|---|');
  for (const { label, holds } of buckets()) {
    const inBucket = samples.filter((s) => holds(s.votes));
    out.push(
      `| ${label} | ${inBucket.length} | ${new Set(inBucket.map((s) => s.channel)).size} | ${fmt(mean(inBucket.map((s) => s.learned)))} | ${fmt(mean(inBucket.map((s) => s.trending)))} | ${fmt(mean(inBucket.map((s) => s.topics)))} | ${fmt(mean(inBucket.map((s) => s.both)))} |`,
    );
  }
  // Per channel first, then across channels: every channel weighs the same, however many days it has in the bucket.
  out.push('');
  out.push('Same, averaged per channel first (each channel weighs the same):');
  out.push('| votes so far | learned | trending only | typed-topic filter | typed topics + learned |');
  out.push('|---|---|---|---|---|');
  for (const { label, holds } of buckets()) {
    const perChannel = channels
      .map((channel) => samples.filter((s) => s.channel === channel.id && holds(s.votes)))
      .filter((list) => list.length);
    const avg = (key: 'learned' | 'trending' | 'topics' | 'both') => mean(perChannel.map((list) => mean(list.map((s) => s[key]))));
    out.push(`| ${label} | ${fmt(avg('learned'))} | ${fmt(avg('trending'))} | ${fmt(avg('topics'))} | ${fmt(avg('both'))} |`);
  }
  out.push('');
  out.push('By half of the judged days (parameters chosen on the first half only; the second is held out):');
  out.push('| half | votes so far | channel-days | learned | trending only | typed-topic filter | typed topics + learned |');
  out.push('|---|---|---|---|---|---|---|');
  for (const which of ['first', 'second'] as const) {
    for (const { label, holds } of buckets()) {
      const inBucket = samples.filter((s) => s.half === which && holds(s.votes));
      if (!inBucket.length) continue;
      out.push(
        `| ${which} | ${label} | ${inBucket.length} | ${fmt(mean(inBucket.map((s) => s.learned)))} | ${fmt(mean(inBucket.map((s) => s.trending)))} | ${fmt(mean(inBucket.map((s) => s.topics)))} | ${fmt(mean(inBucket.map((s) => s.both)))} |`,
      );
    }
  }
  out.push('');
  out.push('By month (all votes counts):');
  out.push('| month | channel-days | learned | trending only | typed-topic filter | typed topics + learned |');
  out.push('|---|---|---|---|---|---|');
  for (const month of [...new Set(samples.map((s) => s.month))].sort()) {
    const inMonth = samples.filter((s) => s.month === month);
    out.push(
      `| ${month} | ${inMonth.length} | ${fmt(mean(inMonth.map((s) => s.learned)))} | ${fmt(mean(inMonth.map((s) => s.trending)))} | ${fmt(mean(inMonth.map((s) => s.topics)))} | ${fmt(mean(inMonth.map((s) => s.both)))} |`,
    );
  }
  out.push('');
  out.push(`👎'd papers shown again in a learned digest: ${dislikedShown}`);
  const times = retrainMs.map((r) => r.ms);
  const late = retrainMs.filter((r) => r.votes >= 40).map((r) => r.ms);
  out.push(
    `Retrain after a vote (full retrain on all the channel's votes + the day's papers): p50 ${percentile(times, 50).toFixed(2)} ms, p95 ${percentile(times, 95).toFixed(2)} ms; with ≥40 votes p50 ${percentile(late, 50).toFixed(2)} ms, p95 ${percentile(late, 95).toFixed(2)} ms (${times.length} retrains)`,
  );

  // Memory: the models of every channel at the end, held at once.
  const maxVotes = Math.max(...[...runs.values()].map((run) => run.learned.votes.size));
  global.gc?.();
  const before = process.memoryUsage().heapUsed;
  const models = [...runs.values()].map((run) => learnTaste(signalsOf(run.learned), features, (id) => index.get(id), []).model);
  global.gc?.();
  const after = process.memoryUsage().heapUsed;
  const weights = models.map((model) => model.weights.size);
  out.push(
    `Model size at the end (up to ${maxVotes} votes): ${Math.round(mean(weights))} non-zero weights on average (max ${Math.max(...weights)}); ` +
      (global.gc
        ? `heap ${((after - before) / models.length / 1024).toFixed(1)} KiB per model held`
        : 'run with --expose-gc for heap per model'),
  );
  out.push(`Shared text features: ${features.documents} papers analysed once for all channels.`);
  console.log(out.join('\n'));
}

main();
