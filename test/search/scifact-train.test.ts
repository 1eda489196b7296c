import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScifactTrain } from '../../bench/lib/scifact.js';

// Shapes from BEIR's scifact/qrels/train.tsv and queries.jsonl, and SciFact's claims_train.jsonl
// (the first lines of each, as published).
describe('loadScifactTrain', () => {
  const dir = mkdtempSync(join(tmpdir(), 'scifact-train-'));
  writeFileSync(
    join(dir, 'queries.jsonl'),
    [
      '{"_id": "0", "text": "0-dimensional biomaterials lack inductive properties.", "metadata": {}}',
      '{"_id": "1", "text": "0-dimensional biomaterials show inductive properties.", "metadata": {}}',
      '{"_id": "35", "text": "A deficiency of vitamin B12 decreases blood levels of homocysteine.", "metadata": {}}',
    ].join('\n') + '\n',
  );
  mkdirSync(join(dir, 'qrels'));
  writeFileSync(join(dir, 'qrels', 'train.tsv'), 'query-id\tcorpus-id\tscore\n0\t31715818\t1\n35\t5152028\t1\n35\t11705328\t1\n');

  it('reads BEIR train qrels, the claims from queries.jsonl, leaving out claims it does not judge (test ids)', () => {
    expect(loadScifactTrain(join(dir, 'qrels', 'train.tsv'), dir)).toEqual([
      { query: '0-dimensional biomaterials lack inductive properties.', relevant: { '31715818': 1 } },
      { query: 'A deficiency of vitamin B12 decreases blood levels of homocysteine.', relevant: { '5152028': 1, '11705328': 1 } },
    ]);
  });

  it("reads SciFact's claims_train.jsonl, the cited documents relevant", () => {
    const file = join(dir, 'claims_train.jsonl');
    writeFileSync(
      file,
      '{"id": 35, "claim": "A deficiency of vitamin B12 decreases blood levels of homocysteine.", "evidence": {}, "cited_doc_ids": [5152028, 11705328]}\n',
    );
    expect(loadScifactTrain(file, dir)).toEqual([
      { query: 'A deficiency of vitamin B12 decreases blood levels of homocysteine.', relevant: { '5152028': 1, '11705328': 1 } },
    ]);
  });

  it('is undefined when the file is absent, so the bench can say it skipped', () => {
    expect(loadScifactTrain(join(dir, 'missing.tsv'), dir)).toBeUndefined();
  });
});
