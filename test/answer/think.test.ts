import { describe, expect, test } from 'vitest';
import { ThinkFilter, stripThinking } from '../../src/answer/think.js';

/** Reasoning models' inline thinking (shapes: see test/answer/real-servers.test.ts). */
describe('ThinkFilter', () => {
  const streamed = (pieces: string[]) => {
    const filter = new ThinkFilter();
    const shown = pieces.map((piece) => filter.push(piece)).join('') + filter.end();
    return { shown, visible: filter.visible };
  };

  test('drops <think>…</think> whatever the chunking, tags split included', () => {
    const text = '<think>\nOkay, [1] and [2]...\n</think>\n\n- Answer [1].';
    for (const size of [1, 2, 3, 5, 7, 100]) {
      const pieces = text.match(new RegExp(`[\\s\\S]{1,${size}}`, 'g'))!;
      expect(streamed(pieces).shown).toBe('\n\n- Answer [1].');
    }
  });

  test('an unclosed <think> hides everything after it', () => {
    expect(streamed(['<think>\nOkay, so', ' the user wants [1]']).shown).toBe('');
  });

  test('a </think> with no opening tag makes what came before it thinking', () => {
    expect(streamed(['Okay, so [3] and [4]', ' somehow.\n</th', 'ink>\n- Answer [1].']).visible).toBe('\n- Answer [1].');
  });

  test('text that only looks like the start of a tag is passed on at the end', () => {
    expect(streamed(['- a < b and x <th']).shown).toBe('- a < b and x <th');
    expect(stripThinking('no thinking here')).toBe('no thinking here');
  });
});
