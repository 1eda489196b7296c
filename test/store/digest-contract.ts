import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Subscription } from '../../src/digest/subscription.js';
import type { Paper } from '../../src/papers/paper.js';
import type { DigestKey, DigestStore } from '../../src/digest/digest-store.js';
import type { PaperStore } from '../../src/papers/paper-store.js';
import type { InstallationRecords } from '../../src/slack/installation-store.js';
import type { FeedbackStore } from '../../src/store/feedback-store.js';
import type { Store } from '../../src/store/store.js';

/** What the digest needs of a store; votes are cast through the Store's recordFeedback. */
export type DigestContractStore = PaperStore & DigestStore & InstallationRecords & FeedbackStore & Pick<Store, 'recordFeedback' | 'close'>;

const LEASE_MS = 10 * 60 * 1000;

/**
 * What every PaperStore, DigestStore and InstallationRecords must do, whatever the database behind
 * them. `open` returns a fresh, empty store that reads the time from `now`, which the suite moves.
 */
export function describeDigestStoreContract(name: string, factory: { open: (now: () => Date) => Promise<DigestContractStore> }): void {
  describe(`Digest store contract: ${name}`, () => {
    let time: Date;
    let store: DigestContractStore;
    const advance = (ms: number) => {
      time = new Date(time.getTime() + ms);
    };

    beforeEach(async () => {
      time = new Date('2026-03-02T08:00:00Z');
      store = await factory.open(() => time);
    });
    afterEach(async () => {
      await store.close();
    });

    describe('papers', () => {
      it('feeds every paper written after a cursor, once, in write order, with its latest trending entry', async () => {
        await store.upsertPapers([paper('old')]);
        const start = await store.changeCursor();
        expect(await store.papersChangedSince(start)).toEqual({ papers: [], removed: [], cursor: expect.any(String) });

        await store.upsertPapers([paper('a', { trending: { date: '2026-03-02', rank: 2 } }), paper('b')]);
        await store.upsertPapers([paper('old', { title: 'Old, revised' })]);
        const first = await store.papersChangedSince(start);
        expect(first.papers.map(({ id }) => id)).toEqual(expect.arrayContaining(['a', 'b', 'old']));
        expect(first.papers).toHaveLength(3);
        expect(first.papers.at(-1)).toEqual(paper('old', { title: 'Old, revised' }));
        expect(first.papers.find(({ id }) => id === 'a')).toEqual(paper('a', { trending: { date: '2026-03-02', rank: 2 } }));

        expect((await store.papersChangedSince(first.cursor)).papers).toEqual([]);
        await store.upsertPapers([paper('b', { trending: { date: '2026-03-03', rank: 1 } })]);
        const second = await store.papersChangedSince(first.cursor);
        expect(second.papers).toEqual([paper('b', { trending: { date: '2026-03-03', rank: 1 } })]);
        await expect(store.papersChangedSince('not a cursor')).rejects.toThrow(/cursor/);
      });

      it("never hands out a removed paper's change number again, and refuses another store's cursor", async () => {
        await store.upsertPapers([paper('a')]);
        await store.upsertPapers([paper('b')]);
        const cursor = await store.changeCursor();
        // b held the highest number; a later write must still come after the cursor.
        await store.removePapers(['b']);
        await store.upsertPapers([paper('c')]);
        expect((await store.papersChangedSince(cursor)).papers.map(({ id }) => id)).toEqual(['c']);

        const position = cursor.slice(cursor.lastIndexOf('.') + 1);
        await expect(store.papersChangedSince(`0123456789abcdef.${position}`)).rejects.toThrow(/another store/);
      });

      it('feeds removals: a removed paper once, a paper removed then written again in both lists', async () => {
        await store.upsertPapers([paper('a'), paper('b')]);
        const start = await store.changeCursor();
        await store.removePapers(['a', 'never-stored']);
        const first = await store.papersChangedSince(start);
        expect(first).toMatchObject({ papers: [], removed: ['a'] });
        expect(await store.papersChangedSince(first.cursor)).toMatchObject({ papers: [], removed: [] });
        await store.removePapers(['b']);
        await store.upsertPapers([paper('b', { title: 'B, back' })]);
        const second = await store.papersChangedSince(first.cursor);
        expect(second.removed).toEqual(['b']);
        expect(second.papers.map(({ id, title }) => [id, title])).toEqual([['b', 'B, back']]);
      });

      it('upserts papers by id, replacing their fields and keeping a trending entry per date', async () => {
        await store.upsertPapers([
          paper('a', { trending: { date: '2026-03-02', rank: 2 } }),
          paper('b', { trending: { date: '2026-03-02', rank: 1 } }),
        ]);
        const revised = paper('a', { title: 'A, revised', upvotes: 40, trending: { date: '2026-03-03', rank: 1 } });
        await store.upsertPapers([revised]);

        expect(byId(await store.allPapers())).toEqual([revised, paper('b', { trending: { date: '2026-03-02', rank: 1 } })]);
        expect(await store.trendingOn('2026-03-02')).toEqual([
          paper('b', { trending: { date: '2026-03-02', rank: 1 } }),
          { ...revised, trending: { date: '2026-03-02', rank: 2 } },
        ]);
        expect(await store.trendingOn('2026-03-03')).toEqual([revised]);
      });

      it('keeps the trending days of a paper upserted again without one', async () => {
        await store.upsertPapers([paper('a', { trending: { date: '2026-03-02', rank: 1 } })]);
        await store.upsertPapers([paper('a', { title: 'From a search' })]);
        expect(await store.allPapers()).toEqual([paper('a', { title: 'From a search', trending: { date: '2026-03-02', rank: 1 } })]);
        expect(await store.trendingOn('2026-03-02')).toHaveLength(1);
      });

      it('reads papers by id, each with its latest trending entry (a merge keeps it in the index), leaving unknown ids out', async () => {
        await store.upsertPapers([
          paper('a', { trending: { date: '2026-03-01', rank: 3 } }),
          paper('a', { trending: { date: '2026-03-02', rank: 1 } }),
          paper('b', { categories: ['cs.CL', 'cs.LG'] }),
        ]);
        expect(byId(await store.papersByIds(['b', 'a', 'a', 'missing']))).toEqual([
          paper('a', { trending: { date: '2026-03-02', rank: 1 } }),
          paper('b', { categories: ['cs.CL', 'cs.LG'] }),
        ]);
        expect(await store.papersByIds([])).toEqual([]);
      });

      it('remembers per source the days it gave whole, and where an import stopped', async () => {
        await store.markSourceDay('hf', '2026-03-01', 12);
        await store.markSourceDay('arxiv', '2026-03-02', 0);
        await store.markSourceDay('hf', '2026-03-01', 13);
        expect(await store.sourceDaysDone('hf', '2026-02-01', '2026-03-31')).toEqual(new Set(['2026-03-01']));
        expect(await store.sourceDaysDone('arxiv', '2026-03-02', '2026-03-02')).toEqual(new Set(['2026-03-02']));
        expect(await store.sourceDaysDone('hf', '2026-03-02', '2026-03-31')).toEqual(new Set());

        expect(await store.importCheckpoint('file-1')).toBeUndefined();
        const big = { offset: 5_000_000_000, line: 2_700_000, stored: 2_600_000, skipped: 3, done: false };
        await store.saveImportCheckpoint('file-1', big);
        expect(await store.importCheckpoint('file-1')).toEqual(big);
        await store.saveImportCheckpoint('file-1', { ...big, done: true });
        expect(await store.importCheckpoint('file-1')).toEqual({ ...big, done: true });
      });

      it('removes papers with their trending entries, ignoring unknown ids', async () => {
        await store.upsertPapers([
          paper('a', { trending: { date: '2026-03-02', rank: 1 } }),
          paper('b', { trending: { date: '2026-03-02', rank: 2 } }),
        ]);
        await store.removePapers(['a', 'missing']);
        await store.removePapers([]);
        expect((await store.allPapers()).map((p) => p.id)).toEqual(['b']);
        expect((await store.trendingOn('2026-03-02')).map((p) => p.id)).toEqual(['b']);
      });

      it('stores papers that never trended, and every field of a full record', async () => {
        const full = paper('2503.12345', {
          abstract: 'We distil "teachers" into students — naïvely 🚀.',
          authors: ['Ada Lovelace', 'Alan Turing'],
          publishedAt: '2026-02-28',
          links: { page: 'https://huggingface.co/papers/2503.12345', arxiv: 'https://arxiv.org/abs/2503.12345' },
          keywords: ['distillation'],
          aiSummary: 'Students beat teachers.',
        });
        await store.upsertPapers([full]);
        expect(await store.allPapers()).toEqual([full]);
        expect((await store.allPapers())[0]).not.toHaveProperty('trending');
      });

      it('takes the last record of a paper named twice in one batch, and accepts an empty batch', async () => {
        await store.upsertPapers([paper('a', { title: 'first' }), paper('a', { title: 'second' })]);
        await store.upsertPapers([]);
        expect((await store.allPapers()).map((p) => p.title)).toEqual(['second']);
      });

      it('lists a day in trending order', async () => {
        await store.upsertPapers([
          paper('c', { trending: { date: '2026-03-02', rank: 3 } }),
          paper('a', { trending: { date: '2026-03-02', rank: 1 } }),
          paper('x', { trending: { date: '2026-03-01', rank: 1 } }),
          paper('b', { trending: { date: '2026-03-02', rank: 2 } }),
        ]);
        expect((await store.trendingOn('2026-03-02')).map((p) => p.id)).toEqual(['a', 'b', 'c']);
        expect(await store.trendingOn('2026-03-05')).toEqual([]);
      });

      it('finds the latest trending date on or before a day', async () => {
        expect(await store.latestTrendingDate('2026-03-09')).toBeUndefined();
        await store.upsertPapers([
          paper('a', { trending: { date: '2026-02-27', rank: 1 } }),
          paper('b', { trending: { date: '2026-03-02', rank: 1 } }),
        ]);
        expect(await store.latestTrendingDate('2026-03-09')).toBe('2026-03-02');
        expect(await store.latestTrendingDate('2026-03-02')).toBe('2026-03-02');
        expect(await store.latestTrendingDate('2026-03-01')).toBe('2026-02-27');
        expect(await store.latestTrendingDate('2026-02-26')).toBeUndefined();
      });
    });

    describe('subscriptions', () => {
      it('keeps one subscription per channel, replaced by a new one', async () => {
        await store.saveSubscription(subscription('T1', 'C1'));
        await store.saveSubscription(subscription('T1', 'C1', { time: '17:30', days: 'daily', topics: 'agents' }));
        expect(await store.getSubscription('T1', 'C1')).toEqual(
          subscription('T1', 'C1', { time: '17:30', days: 'daily', topics: 'agents' }),
        );
        expect(await store.getSubscription('T1', 'C2')).toBeUndefined();
        expect(await store.getSubscription('T2', 'C1')).toBeUndefined();
      });

      it("lists all subscriptions or one workspace's, and removes one", async () => {
        await store.saveSubscription(subscription('T2', 'C9'));
        await store.saveSubscription(subscription('T1', 'C2'));
        await store.saveSubscription(subscription('T1', 'C1'));
        const keys = (subscriptions: Subscription[]) => subscriptions.map((s) => `${s.teamId}/${s.channelId}`).sort();
        expect(keys(await store.listSubscriptions())).toEqual(['T1/C1', 'T1/C2', 'T2/C9']);
        expect(keys(await store.listSubscriptions('T1'))).toEqual(['T1/C1', 'T1/C2']);
        expect(await store.listSubscriptions('T3')).toEqual([]);

        expect(await store.removeSubscription('T1', 'C1')).toBe(true);
        expect(await store.removeSubscription('T1', 'C1')).toBe(false);
        expect(await store.removeSubscription('T2', 'C1')).toBe(false);
        expect(keys(await store.listSubscriptions())).toEqual(['T1/C2', 'T2/C9']);
      });
    });

    describe('digests of two kinds', () => {
      it('keeps one subscription of each kind per channel, each removed, paused and due on its own', async () => {
        const arxiv = subscription('T1', 'C1', { kind: 'arxiv', categories: ['cs.CL', 'cs.*'], topics: 'distillation', time: '08:00' });
        await store.saveSubscription(subscription('T1', 'C1'));
        await store.saveSubscription(arxiv);
        expect(await store.getSubscription('T1', 'C1')).toEqual(subscription('T1', 'C1'));
        expect(await store.getSubscription('T1', 'C1', 'arxiv')).toEqual(arxiv);
        expect(await store.listSubscriptions('T1')).toEqual([subscription('T1', 'C1'), arxiv]);
        expect(
          await store.subscriptionsOf([
            { teamId: 'T1', channelId: 'C1', kind: 'arxiv' },
            { teamId: 'T1', channelId: 'C1' },
          ]),
        ).toHaveLength(2);

        const window = { timeZone: 'Europe/Paris', from: '07:00', to: '10:00', date: '2026-03-02', weekend: false };
        const due = await store.subscriptionsDue([window], time);
        expect(due.map((d) => d.kind).sort()).toEqual(['arxiv', 'trending']);
        // Each kind's digest is claimed and posted on its own.
        const trendingKey: DigestKey = { teamId: 'T1', channelId: 'C1', date: '2026-03-02' };
        const arxivKey: DigestKey = { ...trendingKey, kind: 'arxiv' };
        expect(await store.claimDigest(trendingKey, 'p1', LEASE_MS)).toMatchObject({ claimed: true });
        expect(await store.claimDigest(arxivKey, 'p1', LEASE_MS)).toMatchObject({ claimed: true });
        expect(await store.markDigestPosted(arxivKey, 'p1', '1.2', ['x'], '2026-02-27')).toBe(true);
        expect(await store.claimDigest(arxivKey, 'p2', LEASE_MS)).toEqual({ claimed: false, reason: 'posted' });
        expect(await store.claimDigest(trendingKey, 'p2', LEASE_MS)).toEqual({ claimed: false, reason: 'held' });
        expect(await store.lastDigestDay('T1', 'C1', 'arxiv')).toBe('2026-02-27');
        expect(await store.lastDigestDay('T1', 'C1')).toBeUndefined();
        expect(await store.postedPaperIds('T1', 'C1', '2026-03-01')).toEqual(new Set(['x']));
        expect((await store.subscriptionsDue([window], time)).map((d) => d.kind)).toEqual([]);

        await store.pauseSubscription('T1', 'C1', 'is_archived', 'arxiv');
        expect(await store.getSubscription('T1', 'C1', 'arxiv')).toMatchObject({ paused: 'is_archived' });
        expect(await store.getSubscription('T1', 'C1')).not.toHaveProperty('paused');
        expect(await store.removeSubscription('T1', 'C1', 'arxiv')).toBe(true);
        expect(await store.getSubscription('T1', 'C1', 'arxiv')).toBeUndefined();
        expect(await store.getSubscription('T1', 'C1')).toEqual(subscription('T1', 'C1'));
      });

      it('finds arXiv papers by first-version day (merged ones too), newest first, and the newest such day', async () => {
        expect(await store.latestArxivDay('2026-12-31')).toBeUndefined();
        await store.upsertPapers([
          paper('2603.00001', { source: 'arxiv', categories: ['cs.CL'], publishedAt: '2026-03-01' }),
          paper('2603.00002', { source: 'arxiv', categories: ['cs.LG', 'stat.ML'], publishedAt: '2026-02-27' }),
          // Trended first, then arXiv gave its categories (merged: the source stays the first).
          paper('2603.00003', { categories: ['cs.CV'], publishedAt: '2026-03-01', trending: { date: '2026-03-02', rank: 1 } }),
          paper('hf-only', { publishedAt: '2026-03-01' }),
        ]);
        expect((await store.arxivPapersBetween('2026-02-28', '2026-03-01')).map((p) => p.id)).toEqual(['2603.00001', '2603.00003']);
        expect((await store.arxivPapersBetween('2026-02-01', '2026-03-31')).map((p) => p.id)).toEqual([
          '2603.00001',
          '2603.00003',
          '2603.00002',
        ]);
        expect(await store.latestArxivDay('2026-12-31')).toBe('2026-03-01');
        expect(await store.latestArxivDay('2026-02-28')).toBe('2026-02-27');
      });
    });

    describe('digest claims', () => {
      const key: DigestKey = { teamId: 'T1', channelId: 'C1', date: '2026-03-02' };

      it('claims a digest once', async () => {
        expect(await store.claimDigest(key, 'worker-a', LEASE_MS)).toMatchObject({ claimed: true, recovering: false });
        expect(await store.claimDigest(key, 'worker-a', LEASE_MS)).toEqual({ claimed: false, reason: 'held' });
        expect(await store.claimDigest({ ...key, date: '2026-03-03' }, 'worker-a', LEASE_MS)).toMatchObject({ claimed: true });
        expect(await store.claimDigest({ ...key, channelId: 'C2' }, 'worker-a', LEASE_MS)).toMatchObject({ claimed: true });
      });

      it('holds the digest from other owners while the lease lives', async () => {
        await store.claimDigest(key, 'worker-a', LEASE_MS);
        advance(LEASE_MS - 1000);
        expect(await store.claimDigest(key, 'worker-b', LEASE_MS)).toEqual({ claimed: false, reason: 'held' });
        expect(await store.markDigestPosted(key, 'worker-b', '1.1', ['p1'])).toBe(false);
      });

      it('lets another owner take over an expired lease (fence raised) and then refuses the first owner', async () => {
        await store.claimDigest(key, 'worker-a', LEASE_MS);
        advance(LEASE_MS + 1000);
        expect(await store.claimDigest(key, 'worker-b', LEASE_MS)).toMatchObject({ claimed: true, recovering: false, fence: 2 });
        expect(await store.markDigestPosted(key, 'worker-a', '1.1', ['p1'])).toBe(false);
        expect(await store.markDigestPosted(key, 'worker-b', '1.2', ['p2'])).toBe(true);
        expect(await store.postedPaperIds('T1', 'C1', '2026-03-02')).toEqual(new Set(['p2']));
      });

      it('reports a posted digest as posted to everyone, for good', async () => {
        await store.claimDigest(key, 'worker-a', LEASE_MS);
        expect(await store.markDigestPosted(key, 'worker-a', '1.1', ['p1'])).toBe(true);
        expect(await store.claimDigest(key, 'worker-a', LEASE_MS)).toEqual({ claimed: false, reason: 'posted' });
        advance(LEASE_MS * 10);
        expect(await store.claimDigest(key, 'worker-b', LEASE_MS)).toEqual({ claimed: false, reason: 'posted' });
        expect(await store.markDigestPosted(key, 'worker-a', '1.2', ['p2'])).toBe(false);
        await store.releaseDigest(key, 'worker-a');
        expect(await store.claimDigest(key, 'worker-b', LEASE_MS)).toEqual({ claimed: false, reason: 'posted' });
        expect(await store.postedPaperIds('T1', 'C1', '2026-03-02')).toEqual(new Set(['p1']));
      });

      it('makes a released digest claimable at once, as a fresh claim', async () => {
        await store.claimDigest(key, 'worker-a', LEASE_MS);
        await store.releaseDigest(key, 'worker-b');
        expect(await store.claimDigest(key, 'worker-b', LEASE_MS)).toEqual({ claimed: false, reason: 'held' });
        await store.releaseDigest(key, 'worker-a');
        expect(await store.claimDigest(key, 'worker-b', LEASE_MS)).toMatchObject({ claimed: true, recovering: false });
        expect(await store.markDigestPosted(key, 'worker-a', '1.1', [])).toBe(false);
        expect(await store.markDigestPosted(key, 'worker-b', '1.2', [])).toBe(true);
      });

      it('fences: once "maybe posted", a claim is never forgotten, and a process taken over can neither renew nor send', async () => {
        const first = await store.claimDigest(key, 'worker-a', LEASE_MS);
        if (!first.claimed) throw new Error('not claimed');
        expect(first.fence).toBe(1);
        expect(await store.markDigestSending(key, 'worker-a', first.fence, LEASE_MS)).toBe(true);
        advance(LEASE_MS - 1000);
        expect(await store.renewDigest(key, 'worker-a', first.fence, LEASE_MS)).toBe(true);
        advance(LEASE_MS - 1000);
        expect(await store.claimDigest(key, 'worker-b', LEASE_MS)).toEqual({ claimed: false, reason: 'held' });
        // Released after an unclear failure: free at once, but recovering, bounded by the first claim's time.
        await store.releaseDigest(key, 'worker-a');
        const second = await store.claimDigest(key, 'worker-b', LEASE_MS);
        expect(second).toMatchObject({ claimed: true, recovering: true, fence: 2 });
        expect(second.claimed && second.since.getTime()).toBe(first.since.getTime());
        expect(await store.renewDigest(key, 'worker-a', first.fence, LEASE_MS)).toBe(false);
        expect(await store.markDigestSending(key, 'worker-a', first.fence, LEASE_MS)).toBe(false);
        await store.releaseDigest(key, 'worker-b');
        expect(await store.claimDigest(key, 'worker-c', LEASE_MS)).toMatchObject({ claimed: true, recovering: true, fence: 3 });
        expect(await store.markDigestPosted(key, 'worker-c', '1.3', ['p3'], '2026-03-01')).toBe(true);
        expect(await store.lastDigestDay('T1', 'C1')).toBe('2026-03-01');
      });

      it('pauses a subscription until it is saved again, and lists only due, unposted, unpaused ones', async () => {
        const sub = {
          teamId: 'T1',
          channelId: 'C1',
          time: '09:00',
          timeZone: 'Europe/Paris',
          days: 'weekdays' as const,
          topics: '',
          createdBy: 'U1',
        };
        await store.saveSubscription(sub);
        await store.saveSubscription({ ...sub, channelId: 'C2', time: '10:30' });
        await store.saveSubscription({ ...sub, channelId: 'C3', timeZone: 'Asia/Tokyo' });
        expect((await store.subscriptionZones()).sort()).toEqual(['Asia/Tokyo', 'Europe/Paris']);
        const window = { timeZone: 'Europe/Paris', from: '08:00', to: '10:00', date: '2026-03-02', weekend: false };
        const due = async () =>
          (await store.subscriptionsDue([window], new Date('2026-03-02T08:00:00Z'))).map((d) => `${d.channelId}@${d.date}`);
        expect(await due()).toEqual(['C1@2026-03-02']);
        expect(await store.subscriptionsDue([{ ...window, weekend: true }], new Date('2026-03-02T08:00:00Z'))).toEqual([]);
        expect(
          await store.subscriptionsOf([
            { teamId: 'T1', channelId: 'C2' },
            { teamId: 'T1', channelId: 'C404' },
          ]),
        ).toEqual([{ ...sub, channelId: 'C2', time: '10:30' }]);
        await store.pauseSubscription('T1', 'C1', 'is_archived');
        expect(await store.getSubscription('T1', 'C1')).toMatchObject({ paused: 'is_archived' });
        expect(await due()).toEqual([]);
        await store.saveSubscription(sub);
        expect(await due()).toEqual(['C1@2026-03-02']);
        await store.claimDigest(key, 'worker-a', LEASE_MS);
        await store.markDigestPosted(key, 'worker-a', '1.1', []);
        expect(await due()).toEqual([]);
      });

      it('records closed days, empty ones too', async () => {
        await store.markDayClosed('2026-02-28', 0);
        expect(await store.daysHeld('2026-02-27', '2026-03-01')).toMatchObject({ closed: new Set(['2026-02-28']) });
      });

      it('refuses to mark a digest nobody claimed as posted', async () => {
        expect(await store.markDigestPosted(key, 'worker-a', '1.1', ['p1'])).toBe(false);
        expect(await store.postedPaperIds('T1', 'C1', '2026-01-01')).toEqual(new Set());
        expect(await store.claimDigest(key, 'worker-a', LEASE_MS)).toMatchObject({ claimed: true, recovering: false });
      });

      it('lists the papers posted to a channel since a date', async () => {
        const post = async (digest: DigestKey, paperIds: string[]) => {
          expect(await store.claimDigest(digest, 'worker-a', LEASE_MS)).toMatchObject({ claimed: true });
          expect(await store.markDigestPosted(digest, 'worker-a', '1.1', paperIds)).toBe(true);
        };
        await post({ ...key, date: '2026-02-27' }, ['p1', 'p2']);
        await post({ ...key, date: '2026-03-02' }, ['p2', 'p3', 'p3']);
        await post({ ...key, channelId: 'C2' }, ['p9']);
        expect(await store.postedPaperIds('T1', 'C1', '2026-03-01')).toEqual(new Set(['p2', 'p3']));
        expect(await store.postedPaperIds('T1', 'C1', '2026-02-27')).toEqual(new Set(['p1', 'p2', 'p3']));
        expect(await store.postedPaperIds('T1', 'C1', '2026-03-03')).toEqual(new Set());
        expect(await store.postedPaperIds('T1', 'C2', '2026-01-01')).toEqual(new Set(['p9']));
        expect(await store.postedPaperIds('T2', 'C1', '2026-01-01')).toEqual(new Set());
      });
    });

    it("nets a channel's votes per paper", async () => {
      const vote = (userId: string, paperId: string, value: 1 | -1, channelId = 'C1') =>
        store.recordFeedback({ teamId: 'T1', channelId, userId, paperId, value });
      await vote('U1', 'even', 1);
      await vote('U2', 'even', -1);
      await vote('U1', 'liked', 1);
      await vote('U2', 'liked', 1);
      await vote('U3', 'liked', -1);
      await vote('U1', 'disliked', -1);
      await vote('U1', 'changed', 1);
      await vote('U1', 'changed', -1);
      await vote('U1', 'elsewhere', 1, 'C2');
      const votes = async (teamId: string, channelId: string) => {
        const { liked, disliked } = await store.channelVotes(teamId, channelId);
        return { liked: [...liked].sort(), disliked: [...disliked].sort() };
      };
      expect(await votes('T1', 'C1')).toEqual({ liked: ['liked'], disliked: ['changed', 'disliked'] });
      expect(await votes('T1', 'C2')).toEqual({ liked: ['elsewhere'], disliked: [] });
      expect(await votes('T2', 'C1')).toEqual({ liked: [], disliked: [] });
    });

    it("tallies votes, takes one back, and keeps each channel's votes, clues and reading list apart", async () => {
      const key = { teamId: 'T1', channelId: 'C1', userId: 'U1', paperId: 'p1' };
      await store.recordFeedback({ ...key, value: 1 });
      await store.recordFeedback({ ...key, value: 1 });
      await store.recordFeedback({ ...key, userId: 'U2', value: -1 });
      await store.recordFeedback({ ...key, userId: 'U3', value: 1 });
      expect(await store.voteTally(key)).toEqual({ up: 2, down: 1, mine: 1 });
      expect(await store.voteTally({ ...key, userId: 'U2' })).toEqual({ up: 2, down: 1, mine: -1 });
      await store.removeFeedback(key);
      await store.removeFeedback(key);
      expect(await store.voteTally(key)).toEqual({ up: 1, down: 1, mine: 0 });
      expect(await store.voteTally({ ...key, channelId: 'C2' })).toEqual({ up: 0, down: 0, mine: 0 });

      await store.recordFeedback({ ...key, paperId: 'p2', value: 1 });
      await store.recordFeedback({ ...key, paperId: 'p3', value: 1 });
      await store.recordFeedback({ ...key, paperId: 'p4', value: -1 });
      await store.recordFeedback({ ...key, channelId: 'C2', paperId: 'p9', value: 1 });
      expect(await store.channelLibrary('T1', 'C1', 10)).toEqual(['p3', 'p2']);
      expect(await store.channelLibrary('T1', 'C2', 10)).toEqual(['p9']);

      await store.recordClue('T1', 'C1', 'U1', { kind: 'search', query: 'distillation' });
      await store.recordClue('T1', 'C1', 'U1', { kind: 'summarize', paperId: 'p5' });
      await store.recordClue('T1', 'C2', 'U1', { kind: 'more-like', paperId: 'p8' });
      const c1 = await store.channelVotes('T1', 'C1');
      expect(c1.signals.votes).toEqual([
        { paperId: 'p2', value: 1 },
        { paperId: 'p3', value: 1 },
        { paperId: 'p4', value: -1 },
      ]);
      expect(c1.signals.clues).toEqual([
        { kind: 'summarize', paperId: 'p5' },
        { kind: 'search', query: 'distillation' },
      ]);
      expect((await store.channelVotes('T1', 'C2')).signals).toEqual({
        votes: [{ paperId: 'p9', value: 1 }],
        clues: [{ kind: 'more-like', paperId: 'p8' }],
      });

      // A reset empties what the model learns from; the votes still exclude and still make the reading list.
      expect(await store.lastLearningReset('T1', 'C1')).toBeUndefined();
      await store.resetLearning('T1', 'C1', 'U9');
      expect(await store.lastLearningReset('T1', 'C1')).toEqual({ userId: 'U9', at: expect.any(Date) });
      expect(await store.lastLearningReset('T1', 'C2')).toBeUndefined();
      const reset = await store.channelVotes('T1', 'C1');
      expect(reset.signals).toEqual({ votes: [], clues: [] });
      expect(reset.disliked).toEqual(['p4']);
      expect(await store.channelLibrary('T1', 'C1', 10)).toEqual(['p3', 'p2']);
      await store.recordFeedback({ ...key, paperId: 'p6', value: 1 });
      expect((await store.channelVotes('T1', 'C1')).signals.votes).toEqual([{ paperId: 'p6', value: 1 }]);
      expect((await store.channelVotes('T1', 'C2')).signals.votes).toEqual([{ paperId: 'p9', value: 1 }]);
    });

    it('saves, replaces, finds and deletes workspace and org installations', async () => {
      const workspace = { teamId: 'T1' };
      const org = { enterpriseId: 'E1' };
      const gridWorkspace = { enterpriseId: 'E1', teamId: 'T2' };
      await store.saveInstallation(workspace, '{"team":{"id":"T1"},"v":1}');
      await store.saveInstallation(workspace, '{"team":{"id":"T1"},"v":2}');
      await store.saveInstallation(org, '{"enterprise":{"id":"E1"},"isEnterpriseInstall":true}');
      await store.saveInstallation(gridWorkspace, '{"team":{"id":"T2"}}');

      expect(await store.getInstallation(workspace)).toBe('{"team":{"id":"T1"},"v":2}');
      expect(await store.getInstallation(org)).toBe('{"enterprise":{"id":"E1"},"isEnterpriseInstall":true}');
      expect(await store.getInstallation(gridWorkspace)).toBe('{"team":{"id":"T2"}}');
      expect(await store.getInstallation({ teamId: 'T2' })).toBeUndefined();
      expect(await store.getInstallation({ enterpriseId: 'E1', teamId: 'T1' })).toBeUndefined();

      await store.deleteInstallation(org);
      expect(await store.getInstallation(org)).toBeUndefined();
      expect(await store.getInstallation(gridWorkspace)).toBe('{"team":{"id":"T2"}}');
      await store.deleteInstallation(workspace);
      expect(await store.getInstallation(workspace)).toBeUndefined();
    });

    it('refuses an installation key with neither a team nor an enterprise', async () => {
      await expect(store.saveInstallation({}, '{}')).rejects.toThrow(/teamId or an enterpriseId/);
    });
  });
}

function byId(papers: Paper[]): Paper[] {
  return [...papers].sort((a, b) => a.id.localeCompare(b.id));
}

function paper(id: string, fields: Partial<Paper> = {}): Paper {
  return {
    id,
    title: `Paper ${id}`,
    abstract: '',
    authors: [],
    upvotes: 0,
    links: {},
    keywords: [],
    source: 'hf-daily-papers',
    ...fields,
  };
}

function subscription(teamId: string, channelId: string, fields: Partial<Subscription> = {}): Subscription {
  return {
    teamId,
    channelId,
    time: '09:00',
    timeZone: 'Europe/Paris',
    days: 'weekdays',
    topics: '',
    createdBy: 'U1',
    ...fields,
  };
}
