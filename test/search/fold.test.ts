import { describe, expect, it } from 'vitest';
import { foldForSearch } from '../../src/search/fold.js';

describe('foldForSearch', () => {
  it('spells Greek letters out, capitals and final sigma included', () => {
    expect(foldForSearch('TNF-α, IL-1β and β-VAE')).toBe('TNF-alpha, IL-1beta and beta-VAE');
    expect(foldForSearch('ΔF508 and σς')).toBe('deltaF508 and sigmasigma');
  });

  it('drops diacritics and unpacks ligatures and the micro sign', () => {
    expect(foldForSearch('naïve Schrödinger ﬁne-tuning 5 µm')).toBe('naive Schrodinger fine-tuning 5 mum');
  });

  it('returns ASCII text as it is', () => {
    const text = 'Knowledge distillation (KD), e.g. DPO.';
    expect(foldForSearch(text)).toBe(text);
  });
});
