import { describe, expect, it } from 'vitest';
import { withStored } from '../../src/papers/library.js';
import type { Paper } from '../../src/papers/paper.js';

function paper(id: string, title: string): Paper {
  return { id, title, abstract: `${title}.`, authors: [], upvotes: 0, links: {}, keywords: [], source: 'test' };
}

describe('withStored', () => {
  it('lets a stored copy replace the seed paper of the same title or id, and keeps every stored paper', () => {
    const seed = [
      paper('dual-head-distillation', 'Dual-Head Distillation'),
      paper('kept-seed', 'Kept Seed'),
      paper('same-id', 'Old title'),
    ];
    const stored = [
      paper('2503.00001', 'Dual-Head Distillation'),
      paper('same-id', 'New title'),
      // Two stored papers with one title are two papers (arXiv has such pairs).
      paper('2503.00002', 'A Survey of Distillation'),
      paper('2503.00003', 'A Survey of Distillation'),
    ];
    expect(withStored(seed, stored).map(({ id }) => id)).toEqual(['kept-seed', '2503.00001', 'same-id', '2503.00002', '2503.00003']);
  });
});
