import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/paths.js';
import { quirksDay, recordedDay, startHfServer } from '../support/hf-server.js';
import { startOpenAiServer } from '../support/openai-server.js';

// The compiled CLI, exactly as `paperboy` runs it (npm test builds first).
const CLI = join(projectRoot, 'dist', 'src', 'cli.js');
const dir = mkdtempSync(join(tmpdir(), 'paperboy-cli-'));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function paperboy(args: string[], env: Record<string, string> = {}): Promise<Run> {
  const cleanEnv = { PATH: process.env.PATH ?? '', HOME: dir, PAPERBOY_DB: join(dir, 'paperboy.db'), ...env };
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [CLI, ...args], { env: cleanEnv });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

function file(name: string, lines: unknown[]): string {
  const path = join(dir, name);
  writeFileSync(path, lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n') + '\n');
  return path;
}

describe('paperboy ask', () => {
  it('answers on the embedded corpus with no LLM: extractive synthesis, cited, and the papers', async () => {
    const run = await paperboy(['ask', 'distillation']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Papers on "distillation"');
    expect(run.stdout).toMatch(/Synthesis \(.*extractive.*\)/i);
    expect(run.stdout).toMatch(/• .+\[\d\]/);
    expect(run.stdout).toContain('Dual-Head Knowledge Distillation');
    expect(run.stdout).toMatch(/\[1\] .+\n {4}.+\n {4}TL;DR \(extractive\): \S/);
  });
});

describe('paperboy ask with an LLM', () => {
  it('streams the checked synthesis and uses LLM TL;DRs, through the real SDK over HTTP', async () => {
    const llm = await startOpenAiServer();
    llm.enqueue({
      type: 'stream',
      chunks: [
        '- Two papers distil',
        ' teachers into students [1][3].\n',
        '- See http://evil.example for more [2].\n',
        '- Invented [9].\n',
      ],
      usage: true,
    });
    try {
      const run = await paperboy(['ask', 'distillation'], { OPENAI_BASE_URL: llm.baseURL, OPENAI_MODEL: 'test-model' });
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(
        /^Synthesis\n {2}• Two papers distil teachers into students \[1\]\[3\]\.\n {2}• See for more \[2\]\.\n\n/m,
      );
      expect(run.stdout).not.toContain('evil.example');
      expect(run.stdout).not.toContain('[9]');
      expect(run.stdout).toMatch(/TL;DR: \S/);
      expect(llm.requests[0]!.body?.stream).toBe(true);
      expect(llm.requests[0]!.body?.model).toBe('test-model');
    } finally {
      await llm.close();
    }
  });

  it('shows no thinking from a reasoning model that streams <think>…</think> before its bullets', async () => {
    // DeepSeek-R1 / Qwen3 on Ollama or llama.cpp: thinking inline in content (test/answer/real-servers.test.ts).
    const llm = await startOpenAiServer();
    const reply =
      '<think>\nOkay, so I need to relate these. Maybe combine [3] and [4] somehow.\n</think>\n\n- Two papers distil teachers into students [1][3].\n';
    llm.enqueue({ type: 'stream', chunks: reply.match(/[\s\S]{1,5}/g)! });
    try {
      const run = await paperboy(['ask', 'distillation'], { OPENAI_BASE_URL: llm.baseURL, OPENAI_MODEL: 'deepseek-r1' });
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/^Synthesis\n {2}• Two papers distil teachers into students \[1\]\[3\]\.\n\n/m);
      expect(run.stdout + run.stderr).not.toMatch(/think|Okay|somehow/);
    } finally {
      await llm.close();
    }
  });

  it('says when the LLM failed and the synthesis is the extractive fallback', async () => {
    const llm = await startOpenAiServer({ respond: () => ({ type: 'error', status: 503 }) });
    try {
      const run = await paperboy(['ask', 'distillation'], { OPENAI_BASE_URL: llm.baseURL, LLM_MAX_RETRIES: '0' });
      expect(run.code).toBe(0);
      expect(run.stderr).toContain('paperboy: LLM unavailable (server error (503)): extractive summary');
      expect(run.stdout).toContain('(LLM unavailable (server error (503)): extractive summary)');
    } finally {
      await llm.close();
    }
  });
});

describe('paperboy search', () => {
  it('--json prints exactly one array of {id,title,score,snippet,matched}, best first', async () => {
    // Top 5: with BM25F (issue 12) the paper titled "Dual-Head Knowledge Distillation" ranks fifth.
    const run = await paperboy(['search', 'knowledge', 'distillation', '--limit', '5', '--json']);
    expect(run.code).toBe(0);
    const hits = JSON.parse(run.stdout) as Array<Record<string, unknown>>;
    expect(hits).toHaveLength(5);
    for (const hit of hits) expect(Object.keys(hit).sort()).toEqual(['id', 'matched', 'score', 'snippet', 'title']);
    const scores = hits.map((h) => h.score as number);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(hits.map((h) => h.title).join('\n')).toContain('Dual-Head Knowledge Distillation');
  });

  it('reads a corpus of my own, BEIR or not, and reports bad lines without stopping', async () => {
    const corpus = file('own.jsonl', [
      { _id: 'b1', title: 'Sparse mixture of experts routing', text: 'We route tokens to experts.' },
      '{broken',
      { id: 'p2', title: 'Dense retrieval', abstract: 'Dual encoders for passages.' },
    ]);
    const run = await paperboy(['search', 'mixture', 'of', 'experts', '--corpus', corpus, '--json']);
    expect(run.code).toBe(0);
    expect((JSON.parse(run.stdout) as Array<{ id: string }>).map((h) => h.id)).toEqual(['b1']);
    expect(run.stderr).toContain(`${corpus}:2: skipped: not valid JSON`);
  });

  it('PAPERBOY_CORPUS chooses the corpus when --corpus is absent', async () => {
    const corpus = file('env.jsonl', [{ id: 'only', title: 'Graph neural networks', abstract: 'Message passing.' }]);
    const run = await paperboy(['search', 'graph', '--json'], { PAPERBOY_CORPUS: corpus });
    expect((JSON.parse(run.stdout) as Array<{ id: string }>).map((h) => h.id)).toEqual(['only']);
  });

  it('batch mode reads BEIR and {id,query} queries and prints one JSON line per query', async () => {
    const corpus = file('batch.jsonl', [
      { _id: 'd1', title: 'Protein folding', text: 'We predict protein structure.' },
      { _id: 'd2', title: 'Gene expression', text: 'We measure gene expression in cells.' },
    ]);
    const queries = file('queries.jsonl', [
      { _id: 'q1', text: 'protein structure' },
      { id: 7, query: 'gene expression' },
    ]);
    const run = await paperboy(['search', '--corpus', corpus, '--queries', queries, '--limit', '10', '--json']);
    expect(run.code).toBe(0);
    const lines = run.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { query_id: string; hits: Array<{ id: string; score: number }> });
    expect(lines.map((l) => l.query_id)).toEqual(['q1', '7']);
    expect(lines[0]!.hits[0]!.id).toBe('d1');
    expect(lines[1]!.hits[0]!.id).toBe('d2');
    expect(Object.keys(lines[0]!.hits[0]!).sort()).toEqual(['id', 'score']);
  });
});

describe('paperboy ingest', () => {
  it('stores a day of Daily Papers, which search then finds in place of the seed copy', async () => {
    const hf = await startHfServer({ '2025-03-28': recordedDay('2025-03-28') });
    const db = { PAPERBOY_DB: join(dir, 'ingest.db') };
    try {
      const run = await paperboy(['ingest', '--date', '2025-03-28'], { ...db, HF_ENDPOINT: hf.url, HF_TOKEN: 'hf_x' });
      expect(run.code).toBe(0);
      expect(run.stdout).toContain(
        'Hugging Face: stored 6 papers from 1 of 1 day (1 unusable item skipped: 1 × paper.title: missing or empty).',
      );
      expect(hf.requests[0]!.headers.authorization).toBe('Bearer hf_x');
      const hits = JSON.parse((await paperboy(['search', 'MagicInfinite', '--json'], db)).stdout) as Array<{ id: string }>;
      expect(hits.map((h) => h.id)).toEqual(['2503.20100']);
    } finally {
      await hf.close();
    }
  });

  it('stores every usable item of a real day whose items carry "ai_keywords": [""] and no title, exits 0 and says what it skipped', async () => {
    // Real captured items (test/fixtures/hf/README.md): one with ai_keywords [""], one without a title.
    const hf = await startHfServer({ '2025-06-30': quirksDay() });
    const db = { PAPERBOY_DB: join(dir, 'quirks.db') };
    try {
      const run = await paperboy(['ingest', '--date', '2025-06-30'], { ...db, HF_ENDPOINT: hf.url });
      expect(run.code).toBe(0);
      expect(run.stdout).toContain(
        'Hugging Face: stored 4 papers from 1 of 1 day (1 unusable item skipped: 1 × paper.title: missing or empty).',
      );
      expect(run.stdout + run.stderr).not.toMatch(/ZodError|"code":|invalid_type/);
      const hits = JSON.parse((await paperboy(['search', 'BlenderFusion', '--json'], db)).stdout) as Array<{ id: string }>;
      expect(hits.map((h) => h.id)).toContain('2506.17450');
    } finally {
      await hf.close();
    }
  });

  it('keeps what it has when the Hub is unreachable, and says so', async () => {
    const run = await paperboy(['ingest', '--date', '2025-03-28'], {
      HF_ENDPOINT: 'http://127.0.0.1:9',
      PAPERBOY_DB: join(dir, 'down.db'),
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/2025-03-28: Hugging Face unavailable .*network error/);
    expect(run.stdout).toContain('1 day could not be fetched, the papers already stored are kept');
  });

  it('checks its dates', async () => {
    expect((await paperboy(['ingest', '--date', '2025-02-30'])).stderr).toContain('--date takes a date');
    expect((await paperboy(['ingest', '--date', '2025-03-01', '--since', '2025-03-01'])).stderr).toContain('not both');
    expect((await paperboy(['ingest', '--since', '2999-01-01'])).stderr).toContain('in the future');
  });
});

describe('bad input gets a clear message and a non-zero exit', () => {
  it('an empty query', async () => {
    const run = await paperboy(['ask', '   ']);
    expect(run).toMatchObject({ code: 2, stdout: '' });
    expect(run.stderr).toContain('Tell me what to look for');
  });

  it('a query over 2,000 characters', async () => {
    const run = await paperboy(['search', 'a'.repeat(2001)]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('the limit is 2000');
  });

  it('a missing or malformed corpus file', async () => {
    const missing = await paperboy(['search', 'x', '--corpus', join(dir, 'absent.jsonl')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('absent.jsonl: no such file');
    const junk = await paperboy(['search', 'x', '--corpus', file('junk.jsonl', ['<html>', 'oops'])]);
    expect(junk.code).toBe(2);
    expect(junk.stderr).toContain('holds no valid paper');
  });

  it('a query that matches nothing, with close terms from the index', async () => {
    const run = await paperboy(['search', 'qwxzv']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('No paper matches "qwxzv"');
    const typo = await paperboy(['search', 'distilaton', 'zzqx', '--min-upvotes', '5000']);
    expect(typo.code).toBe(1);
  });

  it('unknown commands and options, and bad option values', async () => {
    expect((await paperboy(['frobnicate'])).code).toBe(2);
    const badOption = await paperboy(['search', 'x', '--colour']);
    expect(badOption.code).toBe(2);
    expect(badOption.stderr).toMatch(/Unknown option '--colour'/);
    const badLimit = await paperboy(['search', 'x', '--limit', 'ten']);
    expect(badLimit.stderr).toContain('--limit takes a whole number');
    const badDate = await paperboy(['search', 'x', '--from', '2025-13-45']);
    expect(badDate.stderr).toContain('--from takes a date');
  });

  it('help and no command print usage', async () => {
    expect((await paperboy(['help'])).stdout).toContain('paperboy ask <topic>');
    // One meaning for the date filters, said where people look (issue 9).
    expect((await paperboy(['help'])).stdout.replace(/\s+/g, ' ')).toContain(
      '--from/--to bound the day a paper trended on Hugging Face Daily Papers',
    );
    expect((await paperboy([])).code).toBe(2);
  });
});

describe('the command line says plainly what happened (issue 13)', () => {
  it('filters that remove every hit say that the filters did, with how many match without them', async () => {
    const run = await paperboy(['search', 'distillation', '--from', '2030-01-01']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /^\d+ papers match "distillation", but none from 2030-01-01: the filters removed every hit\. Widen or drop them\.\n$/,
    );
    const json = await paperboy(['search', 'distillation', '--json', '--min-upvotes', '9999']);
    expect(json).toMatchObject({ code: 1, stdout: '[]\n' });
    expect(json.stderr).toContain('but none with at least 9999 upvotes');
    // No filter: nothing matches, and that is what it says.
    expect((await paperboy(['search', 'qwxzv'])).stderr).toBe('No paper matches "qwxzv".\n');
  });

  it('a misspelt word gets close terms from the corpus, as the README promises, with the hits', async () => {
    const run = await paperboy(['search', 'transformr']);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('Some words of "transformr" are in no paper; close terms in the corpus: transformer');
    expect((await paperboy(['ask', 'knowlege distillation'])).stderr).toContain('close terms in the corpus: knowledge');
    expect((await paperboy(['search', 'distillation'])).stderr).toBe('');
  });

  it('--limit -3 gets a plain message', async () => {
    const run = await paperboy(['search', 'distillation', '--limit', '-3']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('paperboy: --limit takes a whole number from 1 to 10000, not "-3"');
    expect(run.stderr).not.toContain('ambiguous');
  });

  it('ask --json prints the answer as one JSON object', async () => {
    const run = await paperboy(['ask', 'distillation', '--json', '--limit', '3']);
    expect(run.code).toBe(0);
    const answer = JSON.parse(run.stdout) as {
      query: string;
      synthesis: { kind: string; bullets: string[]; notice: string };
      papers: Array<{ n: number; title: string; tldr: { kind: string; text: string } }>;
    };
    expect(answer.query).toBe('distillation');
    expect(answer.synthesis.kind).toBe('extractive');
    expect(answer.synthesis.notice).toMatch(/No LLM configured/);
    expect(answer.synthesis.bullets.every((bullet) => /\[[1-3]\]$/.test(bullet))).toBe(true);
    expect(answer.papers.map((paper) => paper.n)).toEqual([1, 2, 3]);
    expect(answer.papers[0]!.tldr.kind).toBe('extractive');
  });
});

describe('paperboy ingest shows how it is going', () => {
  it('against a hanging endpoint: a visible wait, with when it gives up, within seconds', async () => {
    const { createServer } = await import('node:http');
    const hanging = createServer(() => {}); // accepts, never answers
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
    const { port } = hanging.address() as { port: number };
    const { spawn } = await import('node:child_process');
    const child = spawn(process.execPath, [CLI, 'ingest', '--date', '2025-03-28'], {
      env: { PATH: process.env.PATH ?? '', HOME: dir, PAPERBOY_DB: join(dir, 'hanging.db'), HF_ENDPOINT: `http://127.0.0.1:${port}` },
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    try {
      const started = Date.now();
      while (!stderr.includes('waiting for Hugging Face') && Date.now() - started < 9_000)
        await new Promise((resolve) => setTimeout(resolve, 100));
      expect(stderr).toBe('2025-03-28: waiting for Hugging Face (gives up after 32 s)…\n');
      expect(Date.now() - started).toBeLessThan(9_000);
    } finally {
      child.kill();
      hanging.closeAllConnections();
      hanging.close();
    }
  }, 15_000);

  it('days, pages and papers as they come: a line per day in a log (a status line on a terminal)', async () => {
    const hf = await startHfServer({ '2025-03-28': recordedDay('2025-03-28') });
    try {
      const run = await paperboy(['ingest', '--date', '2025-03-28'], { PAPERBOY_DB: join(dir, 'progress.db'), HF_ENDPOINT: hf.url });
      expect(run.stderr).toContain('2025-03-28: 6 papers (1 page)\n');
    } finally {
      await hf.close();
    }
  });
});
