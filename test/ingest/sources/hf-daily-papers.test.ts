import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fetchDailyPapers, unwrap } from '../../../src/ingest/sources/hf-daily-papers.js';
import { silentLogger, type LogFields } from '../../../src/lib/logger.js';
import { retryDelayMs } from '../../../src/ingest/sources/retry-after.js';
import { quirksDay, recordedDay, startHfServer, type HfServer } from '../../support/hf-server.js';

const DAY = '2025-03-28';
let hf: HfServer;
const sleeps: number[] = [];
const logs: string[] = [];
const options = () => ({
  endpoint: hf.url,
  sleep: async (ms: number) => void sleeps.push(ms),
  logger: { ...silentLogger, debug: record, warn: record },
});
function record(message: string, fields?: LogFields): void {
  logs.push(`${message} ${JSON.stringify(fields)}`);
}

beforeEach(async () => {
  hf = await startHfServer({ [DAY]: recordedDay(DAY) });
  sleeps.length = 0;
  logs.length = 0;
});
afterEach(() => hf.close());

describe('fetchDailyPapers', () => {
  it('maps the recorded day to papers in trending order, skipping and logging the malformed item', async () => {
    const day = await fetchDailyPapers(DAY, options());
    expect(day.skipped).toBe(1);
    expect(logs.join('\n')).toMatch(/skipped an item .*"reason":"paper\.(title|upvotes)/);
    expect(day.papers.map((p) => p.trending)).toEqual([1, 2, 3, 4, 5, 6].map((rank) => ({ date: DAY, rank })));
    const [first] = day.papers;
    expect(first).toMatchObject({
      id: '2503.20100',
      title: 'MagicInfinite: Generating Infinite Talking Videos with Your Words and Voice',
      authors: ['Author 1 One', 'Author 1 Two'],
      publishedAt: '2025-03-24',
      upvotes: 60,
      keywords: ['diffusion Transformer', 'portrait animation', 'curriculum learning', 'cfg distillation'],
      aiSummary: expect.stringContaining('infinite talking videos'),
      source: 'hf-daily-papers',
      links: {
        page: 'https://huggingface.co/papers/2503.20100',
        arxiv: 'https://arxiv.org/abs/2503.20100',
        pdf: 'https://arxiv.org/pdf/2503.20100',
        code: 'https://github.com/example/repo-0',
      },
    });
    expect(first!.abstract).not.toContain('\n');
    expect(first!.abstract).toContain('framework that overcomes traditional');
  });

  it('cleans the optional fields real items send empty or padded, and skips and counts only the item without a title', async () => {
    hf.days.set('2025-06-30', quirksDay());
    const day = await fetchDailyPapers('2025-06-30', { ...options(), pageSize: 2 });
    expect(day.papers.map((p) => p.id)).toEqual(['2506.17450', '2505.16839', '2506.21862', '2506.21356']);
    expect(day.skipped).toBe(1);
    expect(day.skipReasons).toEqual({ 'paper.title: missing or empty': 1 });
    const [noKeywords, paddedLink] = day.papers;
    expect(noKeywords).toMatchObject({ keywords: [], trending: { date: '2025-06-30', rank: 1 } });
    expect(noKeywords!.aiSummary).toBeUndefined();
    expect(paddedLink!.links.project).toBe('https://homepage.jackli.org/projects/lavida/index.html');
    expect(day.papers.map((p) => p.trending!.rank)).toEqual([1, 2, 3, 4]);
  });

  it('never loses an item to junk in a field it can do without', async () => {
    const [item] = quirksDay() as Array<{ paper: Record<string, unknown> }>;
    const junk = {
      ...item,
      paper: {
        ...item!.paper,
        authors: [{ name: '' }, { name: 'Ramin Mehran' }, null],
        upvotes: null,
        summary: null,
        publishedAt: 'soon',
        githubRepo: '',
        ai_keywords: null,
      },
    };
    hf.days.set('2025-06-30', [junk]);
    const day = await fetchDailyPapers('2025-06-30', options());
    expect(day.skipped).toBe(0);
    expect(day.papers[0]).toMatchObject({ id: '2506.17450', authors: ['Ramin Mehran'], upvotes: 0, abstract: '', keywords: [] });
    expect(day.papers[0]!.publishedAt).toBeUndefined();
  });

  it('reads every page', async () => {
    const day = await fetchDailyPapers(DAY, { ...options(), pageSize: 2 });
    expect(day.papers).toHaveLength(6);
    expect(hf.requests.map((r) => r.url.searchParams.get('p'))).toEqual(['0', '1', '2', '3']);
    expect(day.papers.map((p) => p.trending!.rank)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('sends HF_TOKEN as a bearer token, and nothing when unset', async () => {
    await fetchDailyPapers(DAY, { ...options(), token: 'hf_secret' });
    await fetchDailyPapers(DAY, options());
    expect(hf.requests.map((r) => r.headers.authorization)).toEqual(['Bearer hf_secret', undefined]);
  });

  it('honours 429 with Retry-After or RateLimit, and retries 5xx with backoff', async () => {
    hf.failures.push(
      { status: 429, headers: { 'retry-after': '3' } },
      { status: 429, headers: { ratelimit: '"api";r=0;t=7', 'ratelimit-policy': '"fixed window";"api";q=500;w=300' } },
      { status: 503 },
    );
    const day = await fetchDailyPapers(DAY, options());
    expect(day.papers).toHaveLength(6);
    expect(sleeps).toEqual([3000, 7000, 2000]);
  });

  it('fails clearly when the Hub stays down, rather than hanging', async () => {
    for (let i = 0; i < 4; i++) hf.failures.push({ status: 502 });
    await expect(fetchDailyPapers(DAY, options())).rejects.toThrow(/unavailable for 2025-03-28 after 4 attempts \(HTTP 502\)/);
    hf.failures.length = 0;
    hf.failures.push({ status: 429, headers: { 'retry-after': '3600' } });
    await expect(fetchDailyPapers(DAY, options())).rejects.toThrow(/rate limit: retry in 3600 s/);
    hf.failures.push({ status: 200, body: '<html>maintenance</html>' });
    await expect(fetchDailyPapers(DAY, options())).rejects.toThrow(/other than a JSON array/);
    await hf.close();
    await expect(fetchDailyPapers(DAY, { ...options(), attempts: 2 })).rejects.toThrow(/network error/);
  });

  it('an unknown day is an empty day', async () => {
    expect(await fetchDailyPapers('2025-03-29', options())).toEqual({ date: '2025-03-29', papers: [], skipped: 0, skipReasons: {} });
  });
});

describe('unwrap', () => {
  it('joins hard-wrapped lines and keeps real hyphens', () => {
    expect(unwrap('a large-\nscale model\n  trained on\r\ndata.\n\nSecond paragraph.')).toBe(
      'a large-scale model trained on data. Second paragraph.',
    );
  });
});

describe('retryDelayMs', () => {
  it('reads seconds, HTTP dates and RateLimit resets', () => {
    const now = Date.parse('2025-03-28T00:00:00Z');
    expect(retryDelayMs(new Headers({ 'retry-after': '1.5' }), now)).toBe(1500);
    expect(retryDelayMs(new Headers({ 'retry-after': 'Fri, 28 Mar 2025 00:00:10 GMT' }), now)).toBe(10_000);
    expect(retryDelayMs(new Headers({ ratelimit: 'limit=100, remaining=0, reset=5', 'ratelimit-reset': '5' }), now)).toBe(5000);
    expect(retryDelayMs(new Headers({ ratelimit: '"api";r=0;t=12' }), now)).toBe(12_000);
    expect(retryDelayMs(new Headers({}), now)).toBeUndefined();
  });
});
