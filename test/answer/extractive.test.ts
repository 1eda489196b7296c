import { describe, expect, test } from 'vitest';
import { NO_ANSWER } from '../../src/answer/citations.js';
import { extractiveAnswer, extractiveTldr } from '../../src/answer/extractive.js';
import { extractiveFollowUp } from '../../src/answer/extractive-follow-up.js';
import { loadCorpus } from '../../src/papers/corpus.js';
import { DEFAULT_CORPUS } from '../../src/paths.js';
import { judgeTldrs, loadJudgements } from '../../bench/lib/tldr-judgements.js';
import { limitWords } from '../../src/answer/limit-words.js';
import { splitSentences } from '../../src/search/sentences.js';
import { terms } from '../../src/answer/terms.js';
import { PAPERS, paper } from './fixtures.js';

describe('splitSentences', () => {
  test('keeps abbreviations, decimals and initials inside their sentence', () => {
    expect(
      splitSentences(
        'We use e.g. pruning, cf. Fig. 2 for details. Accuracy rose by 3.5 points (see J. Smith et al. 2020). "Quoted" starts here! Does it? 2x faster.',
      ),
    ).toEqual([
      'We use e.g. pruning, cf. Fig. 2 for details.',
      'Accuracy rose by 3.5 points (see J. Smith et al. 2020).',
      '"Quoted" starts here!',
      'Does it?',
      '2x faster.',
    ]);
  });

  test('limitWords cuts long text with an ellipsis', () => {
    expect(limitWords('one two three four', 3)).toBe('one two three…');
    expect(limitWords('one two', 3)).toBe('one two');
  });
});

test('terms are stemmed and stopwords dropped', () => {
  expect(terms('The Decoding of decoders, decoded!')).toEqual(['decod', 'decod', 'decod']);
});

describe('extractiveAnswer', () => {
  test('picks query-matching sentences and cites each as [n], like the LLM', () => {
    const answer = extractiveAnswer('speculative decoding speedups', PAPERS, { minBullets: 3, maxBullets: 5 });
    expect(answer.kind).toBe('extractive');
    expect(answer.bullets.length).toBeGreaterThanOrEqual(3);
    expect(answer.bullets.every((bullet) => /\[\d\]$/.test(bullet))).toBe(true);
    expect(answer.bullets[0]).toBe(
      'We propose draft trees, a speculative decoding method that verifies many candidate continuations at once. [1]',
    );
    expect(answer.cited).toEqual([1, 2, 3]);
  });

  test("uses Hugging Face's summary where a paper has one", () => {
    const answer = extractiveAnswer('attention', [PAPERS[1]!], { minBullets: 1, maxBullets: 1 });
    expect(answer).toEqual({ kind: 'hf-ai-summary', bullets: [`${PAPERS[1]!.aiSummary} [1]`], cited: [1] });
  });

  test('a follow-up the abstracts cannot answer gets the no-answer sentence', () => {
    expect(extractiveFollowUp('Which GPU vendor sponsored them?', PAPERS).bullets).toEqual([NO_ANSWER]);
    expect(extractiveFollowUp('How much faster is generation?', PAPERS).bullets[0]).toContain('[1]');
  });
});

describe('extractiveTldr', () => {
  test('the contribution sentence, not the background one, at most 30 words', () => {
    expect(extractiveTldr(PAPERS[0]!)).toEqual({
      kind: 'extractive',
      text: 'We propose draft trees, a speculative decoding method that verifies many candidate continuations at once.',
    });
    const long = paper({ id: 'x', title: 'Long', abstract: `We propose ${'very '.repeat(40)}long things.` });
    expect(extractiveTldr(long).text.split(' ')).toHaveLength(30);
  });

  test("prefers Hugging Face's summary", () => {
    expect(extractiveTldr(PAPERS[1]!)).toEqual({ kind: 'hf-ai-summary', text: PAPERS[1]!.aiSummary });
  });

  test('falls back to the title when there is no abstract', () => {
    expect(extractiveTldr(paper({ id: 'y', title: 'Only a Title' })).text).toBe('Only a Title');
  });
});

describe('extractive TL;DRs on the seed corpus', () => {
  const { papers } = loadCorpus(DEFAULT_CORPUS);

  test('at least 90% state the contribution or a finding, as judged by reading the abstracts', () => {
    const verdicts = judgeTldrs(papers, (p) => extractiveTldr(p).text, loadJudgements());
    const share = verdicts.filter((verdict) => verdict.states).length / verdicts.length;
    expect(verdicts).toHaveLength(68);
    expect(
      share,
      verdicts
        .filter((v) => !v.states)
        .map((v) => `${v.id}: ${v.tldr}`)
        .join('\n'),
    ).toBeGreaterThanOrEqual(0.9);
    // The judgement can fail: the abstracts' first sentences mostly do not state a contribution.
    const leads = judgeTldrs(papers, (p) => splitSentences(p.abstract)[0]!, loadJudgements());
    expect(leads.filter((verdict) => verdict.states).length / leads.length).toBeLessThan(0.5);
  });

  test('no TL;DR opens by pointing back at something it does not say', () => {
    const opening =
      /^(?:it|its|this (?!paper|work|study|survey|report)|these|such|they|thus|hence|therefore|to (?:address|tackle|solve|mitigate) this)\b/i;
    expect(papers.map((p) => extractiveTldr(p).text).filter((text) => opening.test(text))).toEqual([]);
  });

  test('the examples of issue 13 are no longer chosen', () => {
    const tldrOf = (id: string) => extractiveTldr(papers.find((p) => p.id.startsWith(id))!).text;
    expect(tldrOf('talking-models')).toMatch(/^We extend KD with an interactive communication process/);
    expect(tldrOf('light-r1')).not.toMatch(/^This paper presents our work/);
    // Summarize's bullets (the paper's title as the query) skip the background the title's words are in.
    const talking = papers.find((p) => p.id.startsWith('talking-models'))!;
    const bullets = extractiveAnswer(talking.title, [talking], { minBullets: 4, maxBullets: 5 }).bullets;
    expect(bullets.length).toBeGreaterThanOrEqual(2);
    expect(bullets.join('\n')).not.toMatch(/Many recent breakthroughs|this challenge|In addition, the potential distribution shifts/);
  });
});

describe('sentences that read alone', () => {
  test('an opening clause that points back is dropped; a sentence that needs its context is skipped', () => {
    const p = paper({
      id: 'z',
      title: 'Z',
      abstract:
        'Distillation is costly. KD has been explored to tackle this challenge. To address this issue, we propose cheap distillation, which halves the cost. It also helps.',
    });
    expect(extractiveTldr(p).text).toBe('We propose cheap distillation, which halves the cost.');
    const bullets = extractiveAnswer('distillation', [p], { minBullets: 3, maxBullets: 3 }).bullets;
    expect(bullets.some((bullet) => /this challenge|^It also/.test(bullet))).toBe(false);
  });

  test('query terms still win among readable sentences', () => {
    const answer = extractiveAnswer('quantized attention kernel', [PAPERS[0]!], { minBullets: 1, maxBullets: 1 });
    expect(answer.bullets[0]).toMatch(/^We propose draft trees/);
  });
});
