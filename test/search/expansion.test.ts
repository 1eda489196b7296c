import { describe, expect, it } from 'vitest';
import { createAnalyzer } from '../../src/search/analyzer.js';
import { createExpander } from '../../src/search/expansion.js';
import { PaperSchema, type Paper, type PaperInput } from '../../src/papers/paper.js';
import { buildIndex } from '../../src/search/index.js';
import { buildVariantIndex } from '../../src/search/variants.js';
import { SYNONYMS } from '../../src/search/synonyms.js';

function paper(input: Partial<PaperInput> & { id: string }): Paper {
  return PaperSchema.parse({ title: input.id, source: 'test', ...input });
}
const ids = (hits: { paper: Paper }[]) => hits.map((hit) => hit.paper.id);

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

  it('reads an acronym typed with capitals with its case: "Kd" and "Mu" are not KD and MU', () => {
    expect(labels('Kd of the receptor')).toEqual([]);
    expect(labels('Mu opioid')).toEqual([]);
    expect(labels('kd')).toEqual(['knowledge distillation']);
    expect(labels('MU')).toEqual(['machine unlearning']);
  });

  it('searches an acronym only where the papers write it as one: "machine unlearning" does not find DNA polymerase μ', () => {
    const index = buildIndex([
      paper({ id: 'pol', title: 'Polymerase', abstract: 'DNA polymerase μ binds DNA ends.' }),
      paper({ id: 'unlearning', title: 'Forgetting on request', abstract: 'Machine unlearning removes a user from a model.' }),
    ]);
    expect(ids(index.search('machine unlearning'))).toEqual(['unlearning']);
  });

  it("drops the table's meaning of an acronym the corpus defines otherwise, and can use the corpus's", () => {
    const papers = [
      paper({ id: 'fluo', title: 'Imaging', abstract: 'Fluorescence (FL) imaging of cells.' }),
      paper({ id: 'fed', title: 'Federated learning across hospitals', abstract: 'Federated learning keeps data local.' }),
      paper({ id: 'fluo2', title: 'Fluorescence microscopy', abstract: 'Fluorescence of proteins.' }),
    ];
    expect(ids(buildIndex(papers).search('FL'))).toEqual(['fluo']);
    expect(ids(buildVariantIndex(papers, { corpusAcronyms: 'off' }).search('FL')).sort()).toEqual(['fed', 'fluo']);
    expect(ids(buildVariantIndex(papers, { corpusAcronyms: 'expand' }).search('FL')).sort()).toEqual(['fluo', 'fluo2']);
  });

  it('expands the acronyms a corpus from another field defines ("long form (SHORT)"), from the short form to the long', () => {
    const papers = [
      paper({ id: 'def', title: 'Lung disease', abstract: 'Chronic obstructive pulmonary disease (COPD) is common.' }),
      paper({ id: 'long', title: 'Outcomes in chronic obstructive pulmonary disease', abstract: 'Outcomes after discharge.' }),
      paper({ id: 'other', title: 'Asthma', abstract: 'Asthma in children.' }),
    ];
    expect(ids(buildIndex(papers).search('COPD'))).toEqual(['def']);
    const index = buildVariantIndex(papers, { corpusAcronyms: 'expand' });
    const hits = index.search('COPD');
    expect(ids(hits).sort()).toEqual(['def', 'long']);
    expect(hits.find((hit) => hit.paper.id === 'long')!.matched).toEqual(['Chronic obstructive pulmonary disease']);
  });
});
