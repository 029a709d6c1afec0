// The statistics the distinguisher panel needs, small enough to read in one sitting: AUC with
// DeLong's confidence interval, out-of-fold naive-Bayes scores for one group of features, and an
// L2-regularised logistic regression over every feature at once. (ml-logistic-regression was
// considered: it predicts classes, not probabilities, and an AUC needs scores.)
import { seeded } from '../profile/shaper.ts';

export interface Auc {
  auc: number;
  low: number;
  high: number;
}

/** AUC of scores (higher = more canary-like) with DeLong's 95 % interval. labels: 1 canary, 0 real. */
export function aucWithCi(scores: number[], labels: number[]): Auc {
  const pos = scores.filter((_, i) => labels[i] === 1);
  const neg = scores.filter((_, i) => labels[i] === 0);
  if (pos.length === 0 || neg.length === 0) return { auc: 0.5, low: 0, high: 1 };
  const sortedNeg = [...neg].sort((a, b) => a - b);
  const sortedPos = [...pos].sort((a, b) => a - b);
  // Placement values: the share of the other class each score beats (ties count half).
  const v10 = pos.map((s) => (lowerCount(sortedNeg, s) + 0.5 * equalCount(sortedNeg, s)) / neg.length);
  const v01 = neg.map((s) => (pos.length - lowerCount(sortedPos, s) - equalCount(sortedPos, s) + 0.5 * equalCount(sortedPos, s)) / pos.length);
  const auc = mean(v10);
  const se = Math.sqrt(variance(v10) / pos.length + variance(v01) / neg.length);
  return { auc: round(auc), low: round(Math.max(0, auc - 1.96 * se)), high: round(Math.min(1, auc + 1.96 * se)) };
}

function lowerCount(sorted: number[], x: number): number {
  let lo = 0, hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const equalCount = (sorted: number[], x: number) => {
  let hi = lowerCount(sorted, x);
  const lo = hi;
  while (hi < sorted.length && sorted[hi] === x) hi++;
  return hi - lo;
};

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
const variance = (xs: number[]) => {
  const m = mean(xs);
  return xs.reduce((a, b) => a + (b - m) ** 2, 0) / Math.max(1, xs.length - 1);
};
const round = (x: number) => Number(x.toFixed(3));

/** Fold of each record, stratified so every fold holds canaries and real rows alike. */
export function folds(labels: number[], k: number, seed = 1): number[] {
  const rnd = seeded(seed);
  const out = Array<number>(labels.length).fill(0);
  for (const cls of [0, 1]) {
    const idx = labels.flatMap((l, i) => (l === cls ? [i] : []));
    for (let i = idx.length - 1; i > 0; i--) {
      const j = Math.floor(rnd() * (i + 1));
      [idx[i], idx[j]] = [idx[j]!, idx[i]!];
    }
    idx.forEach((r, n) => (out[r] = n % k));
  }
  return out;
}

/**
 * Out-of-fold naive-Bayes log-likelihood ratio of each record over the given categorical
 * features (numbers arrive already binned): how much more often canaries than real rows carry
 * what this record carries, learned without the record's own fold.
 */
export function naiveBayesScores(features: string[][], labels: number[], fold: number[], k: number): number[] {
  const scores = Array<number>(labels.length).fill(0);
  for (let f = 0; f < k; f++) {
    const counts = features[0]?.map(() => [new Map<string, number>(), new Map<string, number>()] as const) ?? [];
    const totals = [0, 0];
    labels.forEach((l, i) => {
      if (fold[i] === f) return;
      totals[l]! += 1;
      features[i]!.forEach((v, j) => counts[j]![l]!.set(v, (counts[j]![l]!.get(v) ?? 0) + 1));
    });
    labels.forEach((_, i) => {
      if (fold[i] !== f) return;
      scores[i] = features[i]!.reduce((s, v, j) => {
        const c1 = (counts[j]![1].get(v) ?? 0) + 0.5, c0 = (counts[j]![0].get(v) ?? 0) + 0.5;
        return s + Math.log(c1 / (totals[1]! + 1)) - Math.log(c0 / (totals[0]! + 1));
      }, 0);
    });
  }
  return scores;
}

/**
 * Out-of-fold probabilities of an L2-regularised logistic regression on one-hot features
 * (every "feature=value" a column): the combined classifier that sees all features together.
 */
export function logisticScores(features: string[][], labels: number[], fold: number[], k: number, o = { epochs: 30, rate: 0.1, l2: 1e-3 }): number[] {
  const scores = Array<number>(labels.length).fill(0);
  const encoded = features.map((row) => row.map((v, j) => `${j}=${v}`));
  const base = labels.reduce((a, b) => a + b, 0) / labels.length;
  for (let f = 0; f < k; f++) {
    const w = new Map<string, number>();
    let bias = Math.log(base / (1 - base));
    const train = labels.flatMap((_, i) => (fold[i] === f ? [] : [i]));
    // Canaries are few: weigh the classes equally so the model does not just say "real".
    const pos = train.filter((i) => labels[i] === 1).length, neg = train.length - pos;
    for (let e = 0; e < o.epochs; e++) {
      for (const i of train) {
        const z = bias + encoded[i]!.reduce((s, key) => s + (w.get(key) ?? 0), 0);
        const p = 1 / (1 + Math.exp(-z));
        const g = (labels[i]! - p) * (labels[i] === 1 ? train.length / (2 * pos) : train.length / (2 * neg));
        bias += o.rate * g * 0.1;
        for (const key of encoded[i]!) {
          const cur = w.get(key) ?? 0;
          w.set(key, cur + o.rate * (g - o.l2 * cur));
        }
      }
    }
    labels.forEach((_, i) => {
      if (fold[i] === f) scores[i] = bias + encoded[i]!.reduce((s, key) => s + (w.get(key) ?? 0), 0);
    });
  }
  return scores;
}

/** Bins numbers by the real rows' deciles, so a number becomes a category the same way everywhere. */
export function binner(realValues: number[], bins = 10): (x: number | null) => string {
  const sorted = realValues.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  const cuts = Array.from({ length: bins - 1 }, (_, i) => sorted[Math.floor(((i + 1) / bins) * (sorted.length - 1))] ?? 0);
  return (x) => (x === null || !Number.isFinite(x) ? 'none' : `b${cuts.filter((c) => x > c).length}`);
}
