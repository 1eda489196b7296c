import { describe, expect, it } from 'vitest';
import { PaperSchema, type Paper, type PaperInput } from '../../src/papers/paper.js';
import { createAnalyzer } from '../../src/search/analyzer.js';
import { buildIndex, wellMatched } from '../../src/search/index.js';
import { stripSlackMarkup } from '../../src/search/slack-markup.js';

function paper(input: Partial<PaperInput> & { id: string }): Paper {
  return PaperSchema.parse({ title: input.id, source: 'test', ...input });
}
const ids = (hits: { paper: Paper }[]) => hits.map((hit) => hit.paper.id);

describe('Slack markup in a query', () => {
  // Shapes from Slack's formatting reference (api.slack.com/reference/surfaces/formatting).
  it.each([
    ['<@U024BE7LH> distillation', 'distillation'],
    ['<@U024BE7LH|ada> distillation', 'distillation'],
    ['<!channel> attention', 'attention'],
    ['<!subteam^SAZ94GDB8|@ml-team> RLHF', 'RLHF'],
    ['<#C024BE7LR|general> LoRA', 'LoRA'],
    ['<https://arxiv.org/abs/2106.09685|the LoRA paper>', 'the LoRA paper'],
    ['see <https://example.com>', 'see'],
    ['*bold* _italic_ ~strike~ `code` ```block```', 'bold italic strike code block'],
    ['snake_case stays', 'snake_case stays'],
    ['Q&amp;A &lt;b&gt;', 'Q&A <b>'],
  ])('%j is searched as %j', (raw, clean) => {
    expect(stripSlackMarkup(raw)).toBe(clean);
  });

  it('does not let a channel ping or a link address find papers', () => {
    const index = buildIndex([
      paper({ id: 'channel', title: 'Channel attention for image recognition' }),
      paper({ id: 'https', title: 'Serving models over HTTPS' }),
      paper({ id: 'kd', title: 'Knowledge distillation for students' }),
    ]);
    expect(ids(index.search('<!channel> distillation'))).toEqual(['kd']);
    expect(ids(index.search('<https://x.org/p|click> distillation'))).toEqual(['kd']);
  });
});

describe('the tokenizer', () => {
  const analyzer = createAnalyzer();

  it('reads contractions as their first word ("don\'t" is "do", not "don", "t" and "dont")', () => {
    expect(analyzer.terms("don't")).toEqual(['do']);
    expect(analyzer.terms("can't won't we've they're")).toEqual(['can', 'we']);
    expect(analyzer.terms("O'Brien")).toEqual(['o', 'brien', 'obrien']);
  });

  it('can leave a query\'s lowercase one-letter words out, keeping "vitamin D" (off by default: measured no better)', () => {
    const dropping = createAnalyzer({ dropLetters: true });
    expect(dropping.queryTokens('x and y of vitamin D').map((t) => t.term)).toEqual(['vitamin', 'd']);
    expect(analyzer.queryTokens('x and y of vitamin D').map((t) => t.term)).toEqual(['x', 'y', 'vitamin', 'd']);
  });
});

describe('typo correction', () => {
  const index = buildIndex([
    paper({ id: 'kd', title: 'Knowledge distillation', abstract: 'Distillation of a teacher into a student.' }),
    paper({ id: 'diffusion', title: 'Diffusion models', abstract: 'Denoising diffusion.' }),
    paper({ id: 'old', title: 'Old models', abstract: 'Old baselines.' }),
    paper({ id: 'gold', title: 'Gold labels', abstract: 'Gold standard data.' }),
    paper({ id: 'bolt', title: 'Bolt detection', abstract: 'Bolts in images.' }),
  ]);

  it('corrects a word the papers lack when one correction stands out, and shows the corrected word', () => {
    const hits = index.search('difusion');
    expect(ids(hits)).toEqual(['diffusion']);
    expect(hits[0]!.matched).toEqual(['diffusion']);
  });

  it('leaves a word alone when several words are as close ("bold": old, gold, bolt)', () => {
    expect(index.search('bold')).toEqual([]);
    expect(ids(index.search('*bold* distillation'))).toEqual(['kd']);
  });
});

describe('the relevance floor', () => {
  it('keeps the hits scoring at least 0.4 of the best', () => {
    const hits = [10, 6, 4, 3.9, 1].map((score) => ({ score }));
    expect(wellMatched(hits).map(({ score }) => score)).toEqual([10, 6, 4]);
    expect(wellMatched([])).toEqual([]);
  });

  it('tells a paper matching the whole question from ones matching one common word', () => {
    const index = buildIndex([
      paper({ id: 'both', title: 'Knowledge distillation for small language models' }),
      ...['a', 'b', 'c', 'd'].map((id) => paper({ id, title: `Vision models ${id}`, abstract: 'Models of images.' })),
      ...['e', 'f', 'g', 'h'].map((id) => paper({ id, title: `Robotics ${id}` })),
    ]);
    const hits = index.search('distillation language models', { limit: 5, prior: false });
    expect(hits).toHaveLength(5);
    expect(ids(wellMatched(hits))).toEqual(['both']);
  });
});

describe('hits', () => {
  it('work out matched words and snippets only when read, and show them in JSON', () => {
    const index = buildIndex([paper({ id: 'kd', title: 'Distillation', abstract: 'First sentence. Distillation works here.' })]);
    const [hit] = index.search('distillation');
    expect(Object.getOwnPropertyDescriptor(hit, 'snippet')?.get).toBeTypeOf('function');
    expect(JSON.parse(JSON.stringify(hit))).toMatchObject({ matched: ['distillation'], snippet: 'Distillation works here.' });
    expect({ ...hit! }.snippet).toBe('Distillation works here.');
  });
});
