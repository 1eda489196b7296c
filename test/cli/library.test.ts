import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toBibtex } from '../../src/papers/bibtex.js';
import { loadCorpus } from '../../src/papers/corpus.js';
import { PaperSchema } from '../../src/papers/paper.js';
import { DEFAULT_CORPUS, projectRoot } from '../../src/paths.js';
import { openSqliteStore } from '../../src/store/sqlite.js';

const CLI = join(projectRoot, 'dist', 'src', 'cli.js');
const seed = loadCorpus(DEFAULT_CORPUS).papers;
let dir: string;
let db: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'paperboy-library-'));
  db = join(dir, 'paperboy.db');
  const store = openSqliteStore(db);
  const arxiv = PaperSchema.parse({
    id: '2503.12345',
    title: 'Braces {and} 100% of $cost & #tags: a_b ~ c^2 \\ d',
    abstract: 'x',
    authors: ['Ada Lovelace', 'Émile Borel'],
    links: { arxiv: 'https://arxiv.org/abs/2503.12345' },
    source: 'test',
  });
  await store.upsertPapers([...seed, arxiv]);
  await store.recordFeedback({ teamId: 'T1', channelId: 'C1', userId: 'U1', paperId: seed[3]!.id, value: 1 });
  await store.recordFeedback({ teamId: 'T1', channelId: 'C1', userId: 'U1', paperId: arxiv.id, value: 1 });
  await store.recordFeedback({ teamId: 'T1', channelId: 'C1', userId: 'U1', paperId: seed[4]!.id, value: -1 });
  await store.recordFeedback({ teamId: 'T1', channelId: 'C2', userId: 'U1', paperId: seed[5]!.id, value: 1 });
  await store.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function paperboy(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [CLI, ...args], {
      env: { PATH: process.env.PATH ?? '', HOME: dir, PAPERBOY_DB: db },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

/** A small BibTeX reader: entries, their keys and fields, braces balanced. Throws on anything malformed. */
function parseBibtex(text: string): Array<{ type: string; key: string; fields: Record<string, string> }> {
  const entries = [];
  let at = 0;
  const skipSpace = () => {
    while (/\s/.test(text[at] ?? '')) at++;
  };
  const braced = (): string => {
    if (text[at] !== '{') throw new Error(`expected { at ${at}`);
    let depth = 0;
    const start = at;
    for (; at < text.length; at++) {
      if (text[at] === '\\') {
        at++;
        continue;
      }
      if (text[at] === '{') depth++;
      if (text[at] === '}' && --depth === 0) return text.slice(start + 1, at++);
    }
    throw new Error('unbalanced braces');
  };
  skipSpace();
  while (at < text.length) {
    const head = /^@(\w+)\{([^,\s]+),/.exec(text.slice(at));
    if (!head) throw new Error(`expected an entry at ${at}: ${text.slice(at, at + 30)}`);
    at += head[0].length;
    const fields: Record<string, string> = {};
    for (;;) {
      skipSpace();
      if (text[at] === '}') {
        at++;
        break;
      }
      const name = /^(\w+)\s*=\s*/.exec(text.slice(at));
      if (!name) throw new Error(`expected a field at ${at}`);
      at += name[0].length;
      fields[name[1]!] = braced();
      skipSpace();
      if (text[at] === ',') at++;
    }
    entries.push({ type: head[1]!, key: head[2]!, fields });
    skipSpace();
  }
  return entries;
}

describe('paperboy library', () => {
  it("lists the channel's 👍'd papers, latest first, and only that channel's", async () => {
    const run = await paperboy(['library', '--channel', '#C1']);
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^1\. Braces/);
    expect(lines[1]).toContain(seed[3]!.title);
    expect(run.stdout).not.toContain(seed[4]!.title);
    expect(run.stdout).not.toContain(seed[5]!.title);
  });

  it('exports it as BibTeX a reference manager reads: arXiv id, authors, year, URL, escaped text', async () => {
    const run = await paperboy(['library', '--channel', 'C1', '--team', 'T1', '--bibtex']);
    expect(run.code).toBe(0);
    const entries = parseBibtex(run.stdout);
    expect(entries).toHaveLength(2);
    const [first] = entries;
    expect(first).toMatchObject({ type: 'misc', key: 'arxiv2503.12345' });
    expect(first!.fields).toMatchObject({
      author: 'Ada Lovelace and Émile Borel',
      year: '2025',
      eprint: '2503.12345',
      archivePrefix: 'arXiv',
      url: 'https://arxiv.org/abs/2503.12345',
    });
    expect(first!.fields.title).toBe(
      '{Braces \\{and\\} 100\\% of \\$cost \\& \\#tags: a\\_b \\textasciitilde{} c\\textasciicircum{}2 \\textbackslash{} d}',
    );
    expect(new Set(entries.map((entry) => entry.key)).size).toBe(2);
  });

  it('says so when the channel has no reading list, and asks for --channel', async () => {
    const none = await paperboy(['library', '--channel', 'C9']);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/no reading list yet/);
    const missing = await paperboy(['library']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--channel/);
  });

  it('gives unique keys to papers without arXiv ids', () => {
    const paper = (id: string) => PaperSchema.parse({ id, title: 'T', source: 'test' });
    const entries = parseBibtex(toBibtex([paper('a paper'), paper('a-paper')]));
    expect(entries.map((entry) => entry.key)).toEqual(['a-paper', 'a-paper-2']);
  });
});
