import { describe, expect, it } from 'vitest';
import { createAnalyzer } from '../../src/search/analyzer.js';

const analyzer = createAnalyzer();

describe('analyzer', () => {
  it('lowercases, Porter-stems and drops stop words', () => {
    expect(analyzer.terms('The Distillation of Large Language Models')).toEqual(['distil', 'larg', 'languag', 'model']);
  });

  it('keeps acronyms and plural acronyms as one term', () => {
    expect(analyzer.terms('KD for LLMs and MoE')).toEqual(['kd', 'llm', 'moe']);
  });

  it('keeps alphanumeric names like R1, 3D and GPT-4 parts intact', () => {
    expect(analyzer.terms('R1 3D')).toEqual(['r1', '3d']);
    expect(analyzer.terms('GPT-4')).toEqual(['gpt', '4', 'gpt4']);
  });

  it('splits hyphenated compounds and also glues them', () => {
    expect(analyzer.terms('multi-modal')).toEqual(['multi', 'modal', 'multimod']);
    expect(analyzer.terms('IL-6')).toEqual(['il', '6', 'il6']);
    expect(analyzer.terms('multi-modal', 'join')).toEqual(['multimod']);
  });

  it('keeps decimals and drops possessives', () => {
    expect(analyzer.terms("Qwen2.5 model's")).toEqual(['qwen2.5', 'model']);
  });

  it('reads Greek letters and accented letters as they are typed', () => {
    expect(analyzer.terms('TNF-α')).toEqual(analyzer.terms('TNF-alpha'));
    expect(analyzer.terms('a naïve β-VAE')).toEqual(['naiv', 'beta', 'vae', 'betava']);
  });

  it('drops Latin abbreviations', () => {
    expect(analyzer.terms('Smith et al. use attention etc.')).toEqual(['smith', 'us', 'attent']);
  });

  it('reports the word each term came from', () => {
    expect(analyzer.tokens('Distilled multi-modal KD')).toEqual([
      { term: 'distil', surface: 'Distilled' },
      { term: 'multi', surface: 'multi' },
      { term: 'modal', surface: 'modal' },
      { term: 'multimod', surface: 'multi-modal' },
      { term: 'kd', surface: 'KD' },
    ]);
  });

  it('can keep every word', () => {
    expect(createAnalyzer({ stopWords: null }).terms('the model')).toEqual(['the', 'model']);
  });
});
