// Campaign designs as plain data: which canaries to plant, into which channels, at what offset from
// the campaign's start. A design says nothing about personas or targets; the planting area turns
// each canary into one persona and number with one ticket per channel.
//
// - dedicated: k canaries per channel, each planted only there.
// - split: non-adaptive group testing. Each channel gets a codeword, a set of `weight` canaries out
//   of `numbers`, chosen greedily so that two codewords share at most λ canaries. With constant
//   weight w, a column is covered by the union of d others only if w ≤ d·λ, so the design is
//   d-disjunct for every d < w/λ — hence d-separable: any set of up to d leakers has its own
//   pattern of called canaries. `identifiability()` checks both properties exhaustively.
// - staggered: the same matrix, but each canary reaches its channels at different times,
//   staggerMinutes apart, so the time of a leak party's first call says which exposure leaked.
//   With weight 1 it is one canary per group of channels, purely staggered.
// - adaptive: see adaptive.ts (rounds proposed from the current posterior).
import { createRng, shuffle, type Rng } from './prng.ts';

export type DesignName = 'dedicated' | 'split' | 'staggered' | 'adaptive';

export interface DesignPlanting {
  channelId: string;
  /** Minutes after the campaign (or round) starts. */
  offsetMinutes: number;
  /** The shift of `channelId` on duty then, for a channel worked in shifts (src/attribution/shift-design.ts). */
  shift?: string;
}

export interface DesignCanary {
  plantings: DesignPlanting[];
  /**
   * An adaptive round may re-expose a canary it already holds (its number costs nothing more): the
   * canary's id, and its plantings are new tickets on it, offsets from the round's start.
   */
  canaryId?: string;
}

export interface Identifiability {
  /** Largest d (≤ the d asked for) for which no channel's canaries are covered by the union of d others'. */
  disjunct: number;
  /** Largest d for which all sets of ≤ d channels have distinct unions of canaries. */
  separable: number;
  /** How it was established: exhaustive check, or the weight/intersection bound (w > d·λ). */
  method: 'exhaustive' | 'bound';
}

export interface Design {
  name: DesignName;
  canaries: DesignCanary[];
  /** The leakers the design is built for. */
  maxLeakers: number;
  /** Parameters chosen (weight, staggerMinutes, k, maxIntersection ...), for reports. */
  params: Record<string, number>;
  identifiability?: Identifiability;
}

export function designTickets(design: Design): number {
  return design.canaries.reduce((n, c) => n + c.plantings.length, 0);
}

export function dedicatedDesign(channels: string[], k: number): Design {
  if (!Number.isInteger(k) || k < 1) throw new RangeError('dedicated design needs k >= 1 canaries per channel');
  const canaries: DesignCanary[] = [];
  for (const channelId of channels) for (let i = 0; i < k; i++) canaries.push({ plantings: [{ channelId, offsetMinutes: 0 }] });
  return { name: 'dedicated', canaries, maxLeakers: channels.length, params: { k } };
}

export interface SplitOptions {
  /** Canaries (phone numbers) to use. */
  numbers: number;
  /** Canaries per channel (column weight). */
  weight: number;
  maxLeakers: number;
  /** Minutes between a canary's successive exposures; 0 for a plain split design. */
  staggerMinutes?: number;
  seed?: number;
}

/** The split (or, with staggerMinutes > 0, staggered) design: one codeword of `weight` canaries per channel. */
export function splitDesign(channels: string[], opts: SplitOptions): Design {
  const { numbers, weight, maxLeakers } = opts;
  if (weight < 1 || weight > numbers) throw new RangeError('split design needs 1 <= weight <= numbers');
  const rng = createRng(opts.seed ?? 1);
  const columns = constantWeightCode(rng, channels.length, numbers, weight);
  const stagger = opts.staggerMinutes ?? 0;
  const members: number[][] = Array.from({ length: numbers }, () => []);
  columns.forEach((rows, ch) => rows.forEach((r) => members[r]!.push(ch)));
  // Each canary reaches its channels in its own random order, so two channels that share canaries
  // sit in different time slots on each of them.
  const canaries = members.map((chs) => ({
    plantings: shuffle(rng, chs.slice()).map((ch, slot) => ({ channelId: channels[ch]!, offsetMinutes: slot * stagger })),
  }));
  const lambda = maxIntersection(columns, numbers);
  const boundD = lambda === 0 ? channels.length : Math.floor((weight - 1) / lambda);
  const used = canaries.filter((c) => c.plantings.length > 0);
  return {
    name: stagger > 0 ? 'staggered' : 'split',
    canaries: used,
    maxLeakers,
    params: { numbers: used.length, weight, staggerMinutes: stagger, maxIntersection: lambda },
    identifiability: { disjunct: Math.min(boundD, maxLeakers), separable: Math.min(boundD, maxLeakers), method: 'bound' },
  };
}

/**
 * n codewords of weight w over m rows, built greedily: each new codeword is the best of a few
 * hundred random candidates drawn towards lightly loaded rows, judged by (largest overlap with a
 * codeword so far, total overlap, load). Deterministic from the rng.
 */
export function constantWeightCode(rng: Rng, n: number, m: number, w: number): number[][] {
  const masks: Uint32Array[] = [];
  const columns: number[][] = [];
  const load = new Array<number>(m).fill(0);
  const words = Math.ceil(m / 32);
  for (let c = 0; c < n; c++) {
    let best: { rows: number[]; mask: Uint32Array; score: number } | null = null;
    for (let t = 0; t < 160; t++) {
      const rows = pickRows(rng, load, w);
      const mask = toMask(rows, words);
      let worst = 0;
      let total = 0;
      for (const other of masks) {
        const k = popcountAnd(mask, other);
        if (k > worst) worst = k;
        total += k * k;
      }
      const score = worst * 1e9 + total * 1e3 + rows.reduce((s, r) => s + load[r]!, 0);
      if (!best || score < best.score) best = { rows, mask, score };
    }
    masks.push(best!.mask);
    columns.push(best!.rows);
    for (const r of best!.rows) load[r]!++;
  }
  return columns;
}

function pickRows(rng: Rng, load: number[], w: number): number[] {
  // Rows ordered by load with random tie-breaks, then a random pick among the lighter two thirds
  // (wide enough to find low-overlap codewords, narrow enough to keep canaries evenly loaded).
  const order = shuffle(rng, load.map((_, i) => i)).sort((a, b) => load[a]! - load[b]!);
  const pool = order.slice(0, Math.min(order.length, Math.max(2 * w, Math.ceil((order.length * 2) / 3))));
  return shuffle(rng, pool).slice(0, w).sort((a, b) => a - b);
}

function toMask(rows: number[], words: number): Uint32Array {
  const mask = new Uint32Array(words);
  for (const r of rows) mask[r >>> 5]! |= 1 << (r & 31);
  return mask;
}

function popcount32(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

function popcountAnd(a: Uint32Array, b: Uint32Array): number {
  let k = 0;
  for (let i = 0; i < a.length; i++) k += popcount32(a[i]! & b[i]!);
  return k;
}

function maxIntersection(columns: number[][], m: number): number {
  const words = Math.ceil(m / 32);
  const masks = columns.map((c) => toMask(c, words));
  let worst = 0;
  for (let i = 0; i < masks.length; i++) for (let j = i + 1; j < masks.length; j++) worst = Math.max(worst, popcountAnd(masks[i]!, masks[j]!));
  return worst;
}

/** The canaries of each channel (the design's columns), as row indices. */
export function designColumns(design: Design, channels: string[]): number[][] {
  const index = new Map(channels.map((c, i) => [c, i]));
  const columns: number[][] = channels.map(() => []);
  design.canaries.forEach((canary, row) => {
    for (const p of canary.plantings) {
      const col = columns[index.get(p.channelId)!]!;
      if (col[col.length - 1] !== row) col.push(row);
    }
  });
  return columns;
}

export { identifiability } from './identifiability.ts';

export { planDesigns } from './plan.ts';
