// Combining diacritical marks, as NFKD splits them off Latin and Greek letters.
const DIACRITICS = /[\u0300-\u036f]/g;
const GREEK_LETTER = /[\u0370-\u03ff]/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: the ASCII range starts at NUL
const NOT_ASCII = /[^\u0000-\u007f]/;
const GREEK_NAMES: Readonly<Record<string, string>> = {
  α: 'alpha',
  β: 'beta',
  γ: 'gamma',
  δ: 'delta',
  ε: 'epsilon',
  ζ: 'zeta',
  η: 'eta',
  θ: 'theta',
  ι: 'iota',
  κ: 'kappa',
  λ: 'lambda',
  μ: 'mu',
  ν: 'nu',
  ξ: 'xi',
  ο: 'omicron',
  π: 'pi',
  ρ: 'rho',
  σ: 'sigma',
  ς: 'sigma',
  τ: 'tau',
  υ: 'upsilon',
  φ: 'phi',
  ϕ: 'phi',
  χ: 'chi',
  ψ: 'psi',
  ω: 'omega',
};

/**
 * Text as people type it into Slack: diacritics dropped ("naïve" → "naive"), ligatures and
 * other compatibility forms unpacked ("ﬁ" → "fi"), and Greek letters spelled out
 * ("TNF-α" → "TNF-alpha", "β-VAE" → "beta-VAE"), since queries say "alpha" where abstracts say "α".
 */
export function foldForSearch(text: string): string {
  if (!NOT_ASCII.test(text)) return text;
  return text
    .normalize('NFKD')
    .replace(DIACRITICS, '')
    .replace(GREEK_LETTER, (letter) => GREEK_NAMES[letter.toLowerCase()] ?? letter);
}
