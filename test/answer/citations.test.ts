import { describe, expect, test } from 'vitest';
import { NO_ANSWER, checkAnswer, normaliseCitations, removeLinks } from '../../src/answer/citations.js';

describe('checkAnswer', () => {
  const options = { paperCount: 5, maxBullets: 6 };

  test('keeps valid citations, drops invented numbers and bullets left without one', () => {
    const checked = checkAnswer(
      '- Draft trees speed up decoding [1].\n- Quantization cuts memory use [2][9].\n- A paper that does not exist [9].\n- Everything here is great.',
      options,
    );
    expect(checked).toEqual({
      bullets: ['Draft trees speed up decoding [1].', 'Quantization cuts memory use [2].'],
      cited: [1, 2],
    });
  });

  test('normalises [1, 3], [1][3], [2-4] and [0] alike', () => {
    expect(normaliseCitations('a [1, 3] b', 5)).toEqual({ text: 'a [1][3] b', numbers: [1, 3] });
    expect(normaliseCitations('a [3] [1] b', 5)).toEqual({ text: 'a [3][1] b', numbers: [3, 1] });
    expect(normaliseCitations('a [2–4] b', 5).numbers).toEqual([2, 3, 4]);
    expect(normaliseCitations('a [0, 6] b.', 5)).toEqual({ text: 'a b.', numbers: [] });
  });

  test('removes every link the model writes, in any markup', () => {
    const text = removeLinks(
      'See https://evil.example/x?y=1, [the code](http://a.example/(b)) and <https://c.example|here> or www.d.com and evil.example. <!channel> <@U123>',
    );
    expect(text).not.toMatch(/https?:|www\.|\.example|\.com|<!channel>|<@/);
    expect(text).toContain('the code');
  });

  test('the fixed no-answer sentence survives without a citation only where allowed', () => {
    const reply = `- ${NO_ANSWER}`;
    expect(checkAnswer(reply, options)).toBeUndefined();
    expect(checkAnswer(reply, { ...options, allowNoAnswer: true })).toEqual({ bullets: [NO_ANSWER], cited: [] });
    expect(checkAnswer('The abstracts don’t say. Probably 42.', { ...options, allowNoAnswer: true })?.bullets).toEqual([NO_ANSWER]);
  });

  test('plain paragraphs and numbered lists become bullets; the count is capped', () => {
    const reply = Array.from({ length: 9 }, (_, i) => `${i + 1}. Claim number ${i + 1} here [1]`).join('\n');
    const checked = checkAnswer(reply, options);
    expect(checked?.bullets).toHaveLength(6);
    expect(checked?.bullets[0]).toBe('Claim number 1 here [1]');
  });

  test('a bullet that is only a citation and a link says nothing and is dropped', () => {
    expect(checkAnswer('- http://evil.example [1]\n- [2]', options)).toBeUndefined();
  });
});
