import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store, ThreadKey } from '../../src/store/store.js';

/**
 * What every Store must do, whatever the database behind it. `open` returns a fresh, empty store;
 * `reopen` (when the engine persists) opens the same data again after the first was closed.
 */
export function describeStoreContract(name: string, factory: { open: () => Promise<Store>; reopen?: () => Promise<Store> }): void {
  describe(`Store contract: ${name}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await factory.open();
    });
    afterEach(async () => {
      await store.close();
    });

    const key: ThreadKey = { teamId: 'T1', channelId: 'C1', threadTs: '1700000000.000100' };

    it('caches values and overwrites them', async () => {
      expect(await store.get('k')).toBeUndefined();
      await store.set('k', 'one');
      await store.set('k', 'two');
      expect(await store.get('k')).toBe('two');
      await store.set('unicode', 'naïve 🚀 "quotes"');
      expect(await store.get('unicode')).toBe('naïve 🚀 "quotes"');
    });

    it('saves a thread and finds it by team, channel and ts only', async () => {
      await store.saveThread({ ...key, kind: 'answer', query: 'distillation', paperIds: ['b', 'a', 'c'] });
      const thread = await store.getThread(key);
      expect(thread).toMatchObject({ ...key, kind: 'answer', query: 'distillation', paperIds: ['b', 'a', 'c'] });
      expect(Number.isNaN(Date.parse(thread!.createdAt))).toBe(false);
      expect(await store.getThread({ ...key, channelId: 'C2' })).toBeUndefined();
      expect(await store.getThread({ ...key, teamId: 'T2' })).toBeUndefined();
      expect(await store.getThread({ ...key, threadTs: '1700000000.000200' })).toBeUndefined();
    });

    it('keeps a digest thread without a query', async () => {
      await store.saveThread({ ...key, kind: 'digest', paperIds: ['x'] });
      const thread = await store.getThread(key);
      expect(thread?.kind).toBe('digest');
      expect(thread?.query).toBeUndefined();
    });

    it('replaces a thread saved twice', async () => {
      await store.saveThread({ ...key, kind: 'answer', query: 'first', paperIds: ['a'] });
      await store.saveThread({ ...key, kind: 'answer', query: 'second', paperIds: ['b'] });
      expect(await store.getThread(key)).toMatchObject({ query: 'second', paperIds: ['b'] });
    });

    it('appends turns in order, per thread', async () => {
      await store.appendTurn(key, { role: 'user', text: 'what is new?' });
      await store.appendTurn(key, { role: 'assistant', text: 'this [1]' });
      await store.appendTurn({ ...key, threadTs: 'other' }, { role: 'user', text: 'elsewhere' });
      await store.appendTurn(key, { role: 'user', text: 'and then?' });
      expect(await store.getTurns(key)).toEqual([
        { role: 'user', text: 'what is new?' },
        { role: 'assistant', text: 'this [1]' },
        { role: 'user', text: 'and then?' },
      ]);
      expect(await store.getTurns({ ...key, channelId: 'nowhere' })).toEqual([]);
    });

    it('keeps one vote per user, paper and channel, and lists likes most recent first', async () => {
      const vote = { teamId: 'T1', channelId: 'C1', userId: 'U1' };
      await store.recordFeedback({ ...vote, paperId: 'p1', value: 1 });
      await store.recordFeedback({ ...vote, paperId: 'p2', value: 1 });
      await store.recordFeedback({ ...vote, paperId: 'p3', value: -1 });
      await store.recordFeedback({ ...vote, userId: 'U2', paperId: 'p4', value: 1 });
      expect(await store.likedPapers('T1', 'U1', 10)).toEqual(['p2', 'p1']);
      await store.recordFeedback({ ...vote, paperId: 'p1', value: 1 });
      expect(await store.likedPapers('T1', 'U1', 10)).toEqual(['p1', 'p2']);
      await store.recordFeedback({ ...vote, paperId: 'p2', value: -1 });
      expect(await store.likedPapers('T1', 'U1', 10)).toEqual(['p1']);
      await store.recordFeedback({ ...vote, paperId: 'p3', value: 1 });
      expect(await store.likedPapers('T1', 'U1', 1)).toEqual(['p3']);
      expect(await store.likedPapers('T2', 'U1', 10)).toEqual([]);
    });

    it('lists a paper liked in two channels once', async () => {
      await store.recordFeedback({ teamId: 'T1', channelId: 'C1', userId: 'U1', paperId: 'p1', value: 1 });
      await store.recordFeedback({ teamId: 'T1', channelId: 'C2', userId: 'U1', paperId: 'p1', value: 1 });
      expect(await store.likedPapers('T1', 'U1', 10)).toEqual(['p1']);
    });

    it('lists distinct recent searches, most recent first', async () => {
      for (const query of ['a', 'b', 'a', 'c']) await store.recordSearch('T1', 'U1', query);
      await store.recordSearch('T1', 'U2', 'other user');
      expect(await store.recentSearches('T1', 'U1', 10)).toEqual(['c', 'a', 'b']);
      expect(await store.recentSearches('T1', 'U1', 2)).toEqual(['c', 'a']);
      expect(await store.recentSearches('T9', 'U1', 10)).toEqual([]);
    });

    it('claims an event id only once', async () => {
      expect(await store.claimEvent('Ev1')).toBe(true);
      expect(await store.claimEvent('Ev1')).toBe(false);
      expect(await store.claimEvent('Ev2')).toBe(true);
    });

    it('claims an event once under concurrent attempts', async () => {
      const claims = await Promise.all(Array.from({ length: 5 }, () => store.claimEvent('EvRace')));
      expect(claims.filter(Boolean)).toHaveLength(1);
    });

    if (factory.reopen) {
      const reopen = factory.reopen;
      it('keeps everything across a reopen', async () => {
        await store.set('k', 'v');
        await store.saveThread({ ...key, kind: 'answer', query: 'q', paperIds: ['a'] });
        await store.appendTurn(key, { role: 'user', text: 'hi' });
        await store.claimEvent('Ev1');
        await store.close();
        store = await reopen();
        expect(await store.get('k')).toBe('v');
        expect((await store.getThread(key))?.paperIds).toEqual(['a']);
        expect(await store.getTurns(key)).toEqual([{ role: 'user', text: 'hi' }]);
        expect(await store.claimEvent('Ev1')).toBe(false);
      });
    }
  });
}
