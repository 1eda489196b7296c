import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CorpusError, loadCorpus, parseCorpus, resolveCorpusPath } from '../../src/papers/corpus.js';
import { DEFAULT_CORPUS } from '../../src/paths.js';

describe('parseCorpus', () => {
  it('skips bad records with file and line, and keeps every good one', () => {
    const text = [
      '{"id":"a","title":"Alpha","abstract":"About alpha."}',
      'not json',
      '{"id":"b","abstract":"no title"}',
      '',
      '[1,2]',
      '{"id":"c","title":"Gamma","abstract":"About gamma.","upvotes":-3}',
      '{"id":"a","title":"Alpha again","abstract":"dup"}',
      '{"id":"d","title":"Delta","abstract":"About delta.","links":{"pdf":"not a url"}}',
      '{"id":"e","title":"Epsilon","abstract":"About epsilon.","futureField":true}',
    ].join('\n');
    const corpus = parseCorpus(text, 'mine.jsonl');
    expect(corpus.papers.map((p) => p.id)).toEqual(['a', 'e']);
    expect(corpus.issues.map((i) => [i.line, i.message.split(':')[0]])).toEqual([
      [2, 'not valid JSON'],
      [3, 'title'],
      [5, 'not a JSON object'],
      [6, 'upvotes'],
      [7, 'duplicate id "a", kept the first'],
      [8, 'links.pdf'],
    ]);
    expect(corpus.issues.every((i) => i.file === 'mine.jsonl')).toBe(true);
  });

  it('accepts BEIR records ({_id, title, text}) with numeric ids', () => {
    const corpus = parseCorpus('{"_id": 4983, "title": "White matter", "text": "Diffusion MRI.", "metadata": {}}\n', 'corpus.jsonl');
    expect(corpus.papers[0]).toMatchObject({ id: '4983', title: 'White matter', abstract: 'Diffusion MRI.', source: 'corpus.jsonl' });
  });

  it('defaults what a minimal record leaves out', () => {
    const [paper] = parseCorpus('{"id":"x","title":"T","abstract":"A."}', 'f.jsonl').papers;
    expect(paper).toEqual({ id: 'x', title: 'T', abstract: 'A.', authors: [], upvotes: 0, links: {}, keywords: [], source: 'f.jsonl' });
  });
});

describe('loadCorpus', () => {
  const dir = mkdtempSync(join(tmpdir(), 'paperboy-corpus-'));

  it('says clearly when the file is missing, a folder, or holds nothing usable', () => {
    expect(() => loadCorpus(join(dir, 'nope.jsonl'))).toThrow(
      new CorpusError(`cannot read corpus ${join(dir, 'nope.jsonl')}: no such file`),
    );
    expect(() => loadCorpus(dir)).toThrow(/is a folder/);
    const junk = join(dir, 'junk.jsonl');
    writeFileSync(junk, 'hello\nworld\n');
    expect(() => loadCorpus(junk)).toThrow(/holds no valid paper \(first problem: line 1: not valid JSON\)/);
  });

  it('loads the embedded seed corpus by default', () => {
    expect(resolveCorpusPath(undefined, {})).toBe(DEFAULT_CORPUS);
    expect(resolveCorpusPath(undefined, { PAPERBOY_CORPUS: '/x.jsonl' })).toBe('/x.jsonl');
    expect(resolveCorpusPath('/flag.jsonl', { PAPERBOY_CORPUS: '/x.jsonl' })).toBe('/flag.jsonl');
    expect(loadCorpus(DEFAULT_CORPUS).papers).toHaveLength(68);
  });
});
