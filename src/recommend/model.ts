import type { SparseVector } from './features.js';

/** One training example: a paper (or a typed text) the channel reacted to, and how much that says. */
export interface Example {
  vector: SparseVector;
  /** +1: the channel wants papers like it; -1: it does not. */
  label: 1 | -1;
  /** How much the example counts (a 👍 is 1; a click on Summarize says less). */
  weight: number;
}

/** A linear model over tf-idf terms: score = Σ weight·tf-idf + bias. */
export interface LinearModel {
  weights: ReadonlyMap<string, number>;
  bias: number;
}

export const EMPTY_MODEL: LinearModel = { weights: new Map(), bias: 0 };

/** Soft-margin cost by default, as arxiv-sanity's LinearSVC (C = 0.1 there on far more, far longer vectors). */
const DEFAULT_C = 1;
const MAX_EPOCHS = 100;
/** liblinear's default stopping tolerance. */
const TOLERANCE = 0.1;
/** The bias as an extra feature of this value (as liblinear does), so it is regularised like the rest. */
const BIAS_FEATURE = 1;
/** Weights this small are dropped after training: they change no ranking and cost memory. */
const PRUNE_BELOW = 1e-4;

/**
 * Trains an L2-regularised linear SVM with squared hinge loss by dual coordinate descent (Hsieh et al.
 * 2008, liblinear's default solver, what arxiv-sanity's per-tag SVM runs). Each example's cost is
 * C × its weight. Deterministic: the same examples give the same model.
 */
export function trainLinearSvm(examples: readonly Example[], C = DEFAULT_C): LinearModel {
  if (!examples.some((example) => example.label === 1) || !examples.some((example) => example.label === -1)) {
    return trainOneSided(examples);
  }
  // Terms numbered for this training, so that the inner loop runs on typed arrays, not maps.
  const termIds = new Map<string, number>();
  const rows = examples.map(({ vector }) => {
    const ids = new Int32Array(vector.size);
    const values = new Float64Array(vector.size);
    let k = 0;
    for (const [term, value] of vector) {
      let id = termIds.get(term);
      if (id === undefined) {
        id = termIds.size;
        termIds.set(term, id);
      }
      ids[k] = id;
      values[k++] = value;
    }
    return { ids, values };
  });
  const w = new Float64Array(termIds.size);
  let bias = 0;
  const alpha = new Float64Array(examples.length);
  const diagonal = examples.map((example) => 1 / (2 * C * example.weight));
  const squaredNorm = rows.map(({ values }) => values.reduce((sum, value) => sum + value * value, BIAS_FEATURE * BIAS_FEATURE));
  for (let epoch = 0; epoch < MAX_EPOCHS; epoch++) {
    // liblinear's stopping rule: the projected gradient's spread over one pass is small.
    let highest = -Infinity;
    let lowest = Infinity;
    for (let i = 0; i < examples.length; i++) {
      const { ids, values } = rows[i]!;
      const label = examples[i]!.label;
      let margin = bias * BIAS_FEATURE;
      for (let k = 0; k < ids.length; k++) margin += w[ids[k]!]! * values[k]!;
      const gradient = label * margin - 1 + diagonal[i]! * alpha[i]!;
      const projected = alpha[i] === 0 ? Math.min(gradient, 0) : gradient;
      highest = Math.max(highest, projected);
      lowest = Math.min(lowest, projected);
      if (projected === 0) continue;
      const next = Math.max(0, alpha[i]! - gradient / (squaredNorm[i]! + diagonal[i]!));
      const step = (next - alpha[i]!) * label;
      alpha[i] = next;
      for (let k = 0; k < ids.length; k++) w[ids[k]!]! += step * values[k]!;
      bias += step * BIAS_FEATURE;
    }
    if (highest - lowest < TOLERANCE) break;
  }
  const weights = new Map<string, number>();
  for (const [term, id] of termIds) if (Math.abs(w[id]!) >= PRUNE_BELOW) weights.set(term, w[id]!);
  return { weights, bias };
}

/** With reactions one way only there is no boundary to learn: the weighted centroid (Rocchio) stands in. */
function trainOneSided(examples: readonly Example[]): LinearModel {
  const weights = new Map<string, number>();
  const total = examples.reduce((sum, example) => sum + example.weight, 0);
  if (!total) return EMPTY_MODEL;
  for (const { vector, label, weight } of examples) {
    for (const [term, value] of vector) weights.set(term, (weights.get(term) ?? 0) + (label * weight * value) / total);
  }
  return { weights, bias: 0 };
}

export function score(model: LinearModel, vector: SparseVector): number {
  let sum = model.bias;
  for (const [term, value] of vector) sum += (model.weights.get(term) ?? 0) * value;
  return sum;
}

/** The terms that raise this vector's score most, strongest first. */
export function strongestTerms(model: LinearModel, vector: SparseVector, limit: number): string[] {
  return [...vector]
    .map(([term, value]) => ({ term, contribution: (model.weights.get(term) ?? 0) * value }))
    .filter((entry) => entry.contribution > 0)
    .sort((a, b) => b.contribution - a.contribution || (a.term < b.term ? -1 : 1))
    .slice(0, limit)
    .map((entry) => entry.term);
}

/** The model's most positive terms: what it has learned the channel likes. */
export function topTerms(model: LinearModel, limit: number): string[] {
  return [...model.weights]
    .filter(([, weight]) => weight > 0)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, limit)
    .map(([term]) => term);
}
