import { describe, expect, it } from 'vitest';
import { TextFeatures } from '../../src/recommend/features.js';
import { learnedInterests, learnTaste } from '../../src/recommend/taste.js';
import { PaperSchema, type Paper } from '../../src/papers/paper.js';

const paper = (id: string, title: string, abstract = ''): Paper => PaperSchema.parse({ id, title, abstract, source: 'test' });
const kd1 = paper('kd1', 'Knowledge distillation for small students', 'Teacher-student training compresses the model.');
const kd2 = paper('kd2', 'Relational knowledge distillation', 'A teacher-student method for compact networks.');
const graph = paper('kg', 'Knowledge graphs meet retrieval', 'Graph retrieval for question answering.');
const lone = paper('lone', 'Sparse mixture routing', 'Experts are routed sparsely.');

const norm = (vector: ReadonlyMap<string, number>) => Math.sqrt([...vector.values()].reduce((sum, x) => sum + x * x, 0));

describe('the recommender text features', () => {
  it('read two-word phrases beside single words once a second paper has them', () => {
    const features = new TextFeatures();
    features.observe([kd1, graph, lone]);
    expect([...features.vector(kd1).keys()].filter((term) => term.includes(' '))).toEqual([]);
    features.observe([kd2]);
    const vector = features.vector(kd1);
    expect(vector.has('knowledg distil')).toBe(true);
    expect(features.surface('knowledg distil')).toBe('knowledge distillation');
    // A compound gives its parts as a phrase, never its glued form paired with a part.
    expect(vector.has('teacher student')).toBe(true);
    expect([...vector.keys()].some((term) => term.includes('teacherstud '))).toBe(false);
    expect(norm(vector)).toBeCloseTo(1, 10);
    // "knowledge" alone is shared with the graph paper; the phrase is not.
    expect(features.vector(graph).has('knowledg distil')).toBe(false);
  });

  it('weigh words and phrases as two halves of a unit vector', () => {
    const features = new TextFeatures();
    features.observe([kd1, kd2, graph]);
    const vector = features.vector(kd2);
    const half = (phrases: boolean) => norm(new Map([...vector].filter(([term]) => term.includes(' ') === phrases)));
    expect(half(true)).toBeCloseTo(Math.SQRT1_2, 10);
    expect(half(false)).toBeCloseTo(Math.SQRT1_2, 10);
  });

  it('can be single words only, as before phrases (bench:recommend:levers compares the two)', () => {
    const features = new TextFeatures({ phrases: false });
    features.observe([kd1, kd2]);
    expect([...features.vector(kd1).keys()].some((term) => term.includes(' '))).toBe(false);
    expect(norm(features.vector(kd1))).toBeCloseTo(1, 10);
  });

  it('a typed topic names the phrase, and the learned interests read as people write them', () => {
    const features = new TextFeatures();
    features.observe([kd1, kd2, graph, lone]);
    expect(features.textVector('knowledge distillation').has('knowledg distil')).toBe(true);
    const byId = new Map([kd1, kd2, graph, lone].map((p) => [p.id, p]));
    const taste = learnTaste(
      {
        votes: [
          { paperId: 'kd1', value: 1 },
          { paperId: 'kd2', value: 1 },
          { paperId: 'kg', value: -1 },
        ],
        clues: [],
      },
      features,
      (id) => byId.get(id),
      [lone],
    );
    const interests = learnedInterests(taste);
    expect(interests).toContain('knowledge distillation');
    // The phrase says it; its words are not listed again beside it.
    expect(interests).not.toContain('knowledge');
    expect(interests).not.toContain('distillation');
  });

  it('overlapping phrases read as one, and a compound and its spaced form as one', () => {
    const rag = [
      paper('r1', 'Retrieval augmented generation for long documents', 'Retrieval-augmented generation grounds answers.'),
      paper('r2', 'Faster retrieval augmented generation', 'We cache retrieval augmented generation steps.'),
      paper('r3', 'Retrieval augmented generation with graphs', 'Graphs help retrieval augmented generation.'),
    ];
    const others = [graph, lone, paper('v', 'Video diffusion models', 'Diffusion models generate video.')];
    const features = new TextFeatures();
    features.observe([...rag, ...others]);
    const byId = new Map([...rag, ...others].map((p) => [p.id, p]));
    const taste = learnTaste(
      {
        votes: [...rag.map((p) => ({ paperId: p.id, value: 1 as const })), ...others.map((p) => ({ paperId: p.id, value: -1 as const }))],
        clues: [],
      },
      features,
      (id) => byId.get(id),
    );
    const interests = learnedInterests(taste);
    expect(interests[0]).toMatch(/^retrieval[- ]augmented generation$/);
    for (const said of ['retrieval', 'augmented', 'generation', 'retrieval augmented', 'augmented generation', 'retrieval-augmented'])
      expect(interests).not.toContain(said);
  });
});
