import { describe, expect, it } from 'vitest';
import { TextFeatures } from '../../src/recommend/features.js';
import { score, trainLinearSvm, type Example } from '../../src/recommend/model.js';
import { DEFAULT_TASTE, learnTaste, learnedInterests, modelShare, rankByTaste } from '../../src/recommend/taste.js';
import { PaperSchema, type Paper } from '../../src/papers/paper.js';

const paper = (id: string, title: string, abstract = ''): Paper => PaperSchema.parse({ id, title, abstract, source: 'test' });
const papers = [
  paper('d1', 'Knowledge distillation for small students', 'A teacher-student distillation method compresses the model.'),
  paper('d2', 'Self-distillation without a teacher', 'Distillation from the student itself; compression of language models.'),
  paper('v1', 'Video diffusion with temporal attention', 'We generate video with a diffusion model.'),
  paper('v2', 'Fast video generation', 'A diffusion sampler for video generation.'),
  paper('r1', 'Reinforcement learning for reasoning', 'Policy optimization rewards reasoning traces.'),
  paper('d3', 'Distilling reasoning into a student', 'Teacher-student distillation of chain-of-thought.'),
];
const byId = new Map(papers.map((p) => [p.id, p]));

describe('the linear model', () => {
  it('separates what a channel 👍s from what it 👎s, deterministically', () => {
    const features = new TextFeatures();
    features.observe(papers);
    const examples: Example[] = [
      { vector: features.vector(byId.get('d1')!), label: 1, weight: 1 },
      { vector: features.vector(byId.get('v1')!), label: -1, weight: 1 },
      { vector: features.vector(byId.get('r1')!), label: -1, weight: 1 },
    ];
    const model = trainLinearSvm(examples);
    expect(score(model, features.vector(byId.get('d1')!))).toBeGreaterThan(0);
    expect(score(model, features.vector(byId.get('v1')!))).toBeLessThan(0);
    expect(score(model, features.vector(byId.get('d2')!))).toBeGreaterThan(score(model, features.vector(byId.get('v2')!)));
    expect(trainLinearSvm(examples)).toEqual(model);
  });

  it('leans on the model as votes accumulate; with none, popularity alone orders', () => {
    const features = new TextFeatures();
    const lookup = (id: string) => byId.get(id);
    const candidates = papers.filter((p) => !['d1', 'd3', 'v1'].includes(p.id));
    const popularity = (p: Paper) => ({ v2: 0.9, r1: 0.8, d2: 0.6 })[p.id] ?? 0;
    const none = learnTaste({ votes: [], clues: [] }, features, lookup, candidates);
    expect(modelShare(none)).toBe(0);
    expect(rankByTaste(candidates, none, popularity).map((r) => r.paper.id)).toEqual(['v2', 'r1', 'd2']);

    const taste = learnTaste(
      {
        votes: [
          { paperId: 'd1', value: 1 },
          { paperId: 'd3', value: 1 },
          { paperId: 'v1', value: -1 },
        ],
        clues: [{ kind: 'search', query: 'distillation' }],
      },
      features,
      lookup,
      candidates,
    );
    expect(modelShare(taste)).toBeGreaterThan(0);
    const ranked = rankByTaste(candidates, taste, popularity);
    // Two 👍 on distillation papers lift the least popular paper, the one about distillation, to the top.
    expect(ranked[0]!.paper.id).toBe('d2');
    // The why: the model's strongest terms that the paper has, as written.
    const d2 = ranked.find((r) => r.paper.id === 'd2')!;
    expect(d2.because.join(', ')).toContain('distillation');
    expect(learnedInterests(taste).join(', ')).toContain('distillation');
  });
});

describe('the levers bench:recommend measures', () => {
  const lookup = (id: string) => byId.get(id);
  const candidates = papers.filter((p) => ['d2', 'v2', 'r1'].includes(p.id));
  const signals = { votes: [{ paperId: 'd1', value: 1 as const }], clues: [], shown: ['v1'] };

  it('papers shown and not voted on count as negatives only when shownWeight says so', () => {
    const scoreWith = (shownWeight: number) => {
      const taste = learnTaste(signals, new TextFeatures(), lookup, candidates, { ...DEFAULT_TASTE, shownWeight, backgroundWeight: 0 });
      return score(taste.model, taste.features.vector(byId.get('v2')!));
    };
    expect(scoreWith(0.5)).toBeLessThan(scoreWith(0));
  });

  it('halfTrustVotes sets how fast the blend leans on the model; 0 trusts it fully from the first vote', () => {
    const share = (halfTrustVotes: number) =>
      modelShare(learnTaste(signals, new TextFeatures(), lookup, candidates, { ...DEFAULT_TASTE, halfTrustVotes }));
    expect(share(1)).toBeCloseTo(0.5);
    expect(share(0)).toBe(1);
    expect(share(15)).toBeLessThan(share(5));
  });
});
