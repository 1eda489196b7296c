import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { createAckGate } from '../../src/slack/after-acks.js';

describe('createAckGate', () => {
  it('lets answers start in the order they were acknowledged', async () => {
    const afterAcks = createAckGate();
    const started: number[] = [];
    await Promise.all([1, 2, 3].map((n) => afterAcks().then(() => started.push(n))));
    expect(started).toEqual([1, 2, 3]);
  });

  it('starts an answer on the next turn once acknowledgements pause', async () => {
    let clock = 0;
    const afterAcks = createAckGate({ quietMs: 1, now: () => clock });
    let started = false;
    void afterAcks().then(() => (started = true));
    clock = 1;
    await nextTurn();
    await nextTurn();
    expect(started).toBe(true);
  });

  it('holds answers back while acknowledgements keep coming, for at most maxTurns', async () => {
    let clock = 0;
    const afterAcks = createAckGate({ quietMs: 1, maxTurns: 20, now: () => clock });
    let turns = 0;
    let started: number | undefined;
    void afterAcks().then(() => (started = turns));
    // A request acknowledged every 0.5 ms, as in a burst of new connections.
    while (started === undefined && turns < 100) {
      await nextTurn();
      turns++;
      clock += 0.5;
      void afterAcks();
    }
    expect(started).toBeGreaterThanOrEqual(19);
    expect(started).toBeLessThanOrEqual(21);
  });
});
