import { expect, test } from 'vitest';
import { BufferedSynthesisStream } from '../../src/answer/stream.js';
import type { Synthesis } from '../../src/answer/types.js';

const done: Synthesis = { kind: 'llm', bullets: ['b [1]'], cited: [1] };

function slowStream() {
  return new BufferedSynthesisStream(async (emit) => {
    for (const delta of ['a', 'b', 'c']) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      emit(delta);
    }
    return done;
  });
}

test('final resolves without anyone iterating', async () => {
  await expect(slowStream().final).resolves.toEqual(done);
});

test('deltas arrive in order, and a late iterator replays them all', async () => {
  const stream = slowStream();
  const live: string[] = [];
  for await (const delta of stream) live.push(delta);
  const replay: string[] = [];
  for await (const delta of stream) replay.push(delta);
  expect(live).toEqual(['a', 'b', 'c']);
  expect(replay).toEqual(['a', 'b', 'c']);
  await expect(stream.final).resolves.toBe(done);
});
