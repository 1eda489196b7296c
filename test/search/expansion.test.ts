import { describe, expect, it } from 'vitest';
import { createAnalyzer } from '../../src/search/analyzer.js';
import { createExpander } from '../../src/search/expansion.js';
import { SYNONYMS } from '../../src/search/synonyms.js';

const expand = createExpander(SYNONYMS, createAnalyzer());
const labels = (query: string) => expand(query).map((expansion) => expansion.label);

describe('query expansion', () => {
  it('expands an acronym to its phrase and back', () => {
    expect(labels('KD')).toEqual(['knowledge distillation']);
    expect(labels('knowledge distillation')).toEqual(['KD']);
  });

  it('matches phrases whatever their case, plural or hyphenation', () => {
    expect(labels('LLMs')).toEqual(['large language model']);
    expect(labels('Supervised finetuning')).toEqual(['SFT']);
  });

  it('fires on whole phrases only', () => {
    expect(labels('knowledge')).toEqual([]);
    expect(labels('distillation of knowledge')).toEqual([]);
  });

  it('expands to every other member of a row', () => {
    expect(labels('lifelong learning')).toEqual(['continual learning', 'incremental learning', 'catastrophic forgetting']);
  });

  it('gives the index terms an expansion must all match', () => {
    expect(expand('CoT')).toEqual([{ label: 'chain of thought', terms: ['chain', 'thought'] }]);
  });
});
