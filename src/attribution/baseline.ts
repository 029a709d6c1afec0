// The textbook baseline: the same worlds decoded as plain binary group testing. A canary is
// "called" or not — who called and when are thrown away — and the leaking set is the maximum
// likelihood set of at most d channels under the binary noise model
//   P(called | exposed to a leaker) = q + (1 − q)·p0,   P(called | not) = p0,   p0 = 1 − exp(−r·days).
// Exact: branch and bound over all sets of ≤ d channels (the bound is the called canaries' weight a
// channel could still add). Also the counting bound: log2 of the hypotheses over the capacity of
// one such binary test.
import type { Exposure, DecoderCall } from './model.ts';

export interface BinaryModel {
  q: number;
  backgroundPerNumberDay: number;
  days: number;
  maxLeakers: number;
}

export function binaryNoise(m: BinaryModel): { p0: number; p1: number } {
  const p0 = 1 - Math.exp(-m.backgroundPerNumberDay * m.days);
  return { p0, p1: m.q + (1 - m.q) * p0 };
}

/** The maximum likelihood leaking set from called/not-called canaries alone. */
export function binaryDecode(channels: string[], exposures: Exposure[], calls: Iterable<DecoderCall>, m: BinaryModel): string[] {
  const { p0, p1 } = binaryNoise(m);
  const called = new Set<string>();
  for (const c of calls) if (c.canaryId) called.add(c.canaryId);
  const rowOf = new Map<string, number>();
  const cols = new Map<string, Set<number>>(channels.map((c) => [c, new Set<number>()]));
  for (const e of exposures) {
    if (!rowOf.has(e.canaryId)) rowOf.set(e.canaryId, rowOf.size);
    cols.get(e.channelId)?.add(rowOf.get(e.canaryId)!);
  }
  const weight = new Float64Array(rowOf.size);
  const yes = Math.log(p1 / p0);
  const no = Math.log((1 - p1) / (1 - p0));
  for (const [canary, row] of rowOf) weight[row] = called.has(canary) ? yes : no;
  // Channels that cover no called canary can only lower the likelihood: never in the optimum.
  const candidates = channels
    .map((id) => {
      const rows = [...cols.get(id)!];
      return { id, rows, pos: rows.reduce((s, r) => s + Math.max(0, weight[r]!), 0) };
    })
    .filter((c) => c.pos > 0)
    .sort((a, b) => b.pos - a.pos);
  let best = { score: 0, set: [] as number[] };
  const covered = new Int32Array(rowOf.size);
  const walk = (start: number, chosen: number[], score: number) => {
    if (score > best.score + 1e-12) best = { score, set: [...chosen] };
    if (chosen.length === m.maxLeakers) return;
    for (let i = start; i < candidates.length; i++) {
      let bound = score;
      for (let j = i; j < Math.min(candidates.length, i + m.maxLeakers - chosen.length); j++) bound += candidates[j]!.pos;
      if (bound <= best.score + 1e-12) return;
      let gain = 0;
      for (const r of candidates[i]!.rows) if (covered[r]!++ === 0) gain += weight[r]!;
      chosen.push(i);
      walk(i + 1, chosen, score + gain);
      chosen.pop();
      for (const r of candidates[i]!.rows) covered[r]!--;
    }
  };
  walk(0, [], 0);
  return best.set.map((i) => candidates[i]!.id);
}

function entropy(p: number): number {
  return p <= 0 || p >= 1 ? 0 : -p * Math.log2(p) - (1 - p) * Math.log2(1 - p);
}

/** Capacity (bits) of one binary test with P(1|0) = p0, P(1|1) = p1, maximised over the input. */
export function binaryTestCapacity(p0: number, p1: number): number {
  let best = 0;
  for (let i = 1; i < 1000; i++) {
    const x = i / 1000;
    best = Math.max(best, entropy(x * p1 + (1 - x) * p0) - x * entropy(p1) - (1 - x) * entropy(p0));
  }
  return best;
}

/** log2 of the number of leaking sets of size ≤ d among n channels. */
export function hypothesisBits(n: number, d: number): number {
  let total = 0;
  let c = 1;
  for (let k = 0; k <= d; k++) {
    total += c;
    c = (c * (n - k)) / (k + 1);
  }
  return Math.log2(total);
}

/** The counting bound: binary tests (canaries) any non-adaptive binary design needs, at least. */
export function countingBound(n: number, m: BinaryModel): number {
  const { p0, p1 } = binaryNoise(m);
  return hypothesisBits(n, m.maxLeakers) / binaryTestCapacity(p0, p1);
}
