import { CallPairs, pairsOf, TIMES_PER_PAIR } from './call-pairs.ts';
import type { DecoderCall, Exposure } from './model.ts';

export { TIMES_PER_PAIR } from './call-pairs.ts';

export interface CallerStats {
  /** Distinct numbers this caller rang (repeat calls to one number count once). */
  numbers: number;
  /** Distinct numbers it rang that no leak could have given it: controls, burn-in, unassigned, a canary before any exposure. */
  noise: number;
}

export interface CanaryExposure {
  canaryId: string;
  from: number;
  start: number;
  end: number;
  /** Channels the canary is exposed to (1: only this one). */
  channels: number;
}

export interface ExposureAt {
  channelId: string;
  from: number;
}

/**
 * The facts, indexed for the decoder: exposures per canary and per channel, and per canary the
 * (caller, number) pairs that rang it after an exposure, as pair indices into `pairs`. Built from
 * the pairs in one pass; the pairs themselves can be kept and grown between decodes.
 */
export interface FactsIndex {
  channels: string[];
  /** canary → its exposures (earliest per channel). */
  exposuresOf: Map<string, ExposureAt[]>;
  /** channel → the canaries exposed to it, with when, and where their pairs lie in `onCanary` ([start, end)). */
  canariesOf: Map<string, CanaryExposure[]>;
  /** The folded calls. */
  calls: CallPairs;
  /** canary → indices of the pairs that rang it after its first exposure. */
  pairsOn(canaryId: string): Int32Array;
  /**
   * The pairs of every canary, one entry each, contiguous per canary so the decoder reads them in
   * order: the pair, its caller (-1 when withheld), how many numbers that caller rang, and its kept
   * call times (TIMES_PER_PAIR slots, `kept` of them used).
   */
  onCanary: { pair: Int32Array; caller: Int32Array; callerNumbers: Int32Array; count: Int32Array; kept: Uint8Array; times: Float64Array };
  /** Numbers each caller (by index) rang that no leak could have given it. */
  noiseOf: Int32Array;
  callerStats(caller: string): CallerStats | undefined;
  /** Distinct (caller, number) pairs in all: the size of the caller population the background draws from. */
  pairs: number;
}

const NONE = new Int32Array(0);

/**
 * `canaryOf` turns the canary key the pairs were folded with into a canary id: the identity for calls
 * given as data; for stored hits the key is the number's id, and the canary holding that number is
 * looked up as the store stands now (a number assigned after its first calls still counts).
 */
export function indexFacts(channels: string[], exposures: Exposure[], calls: Iterable<DecoderCall> | CallPairs, canaryOf: (key: string) => string | null = (k) => k): FactsIndex {
  const pairs = calls instanceof CallPairs ? calls : pairsOf(calls);
  const exposuresOf = new Map<string, ExposureAt[]>();
  for (const e of exposures) {
    const list = exposuresOf.get(e.canaryId);
    if (!list) {
      exposuresOf.set(e.canaryId, [{ channelId: e.channelId, from: e.from }]);
      continue;
    }
    const same = list.find((x) => x.channelId === e.channelId);
    if (same) same.from = Math.min(same.from, e.from);
    else list.push({ channelId: e.channelId, from: e.from });
  }
  const canariesOf = new Map<string, CanaryExposure[]>(channels.map((c) => [c, []]));
  for (const [canaryId, list] of exposuresOf) {
    for (const x of list) canariesOf.get(x.channelId)?.push({ canaryId, from: x.from, start: 0, end: 0, channels: list.length });
  }

  // The pairs' canary keys resolved to canaries (-1: no canary holds the number), and each canary's first exposure.
  const canaryIds: string[] = [];
  const canaryIx = new Map<string, number>();
  const resolved = new Int32Array(pairs.canaries.length);
  pairs.canaries.forEach((key, k) => {
    const id = canaryOf(key);
    if (id === null) return void (resolved[k] = -1);
    let i = canaryIx.get(id);
    if (i === undefined) canaryIx.set(id, (i = canaryIds.push(id) - 1));
    resolved[k] = i;
  });
  const firstExposure = new Float64Array(canaryIds.length).fill(Infinity);
  canaryIds.forEach((id, k) => {
    const list = exposuresOf.get(id);
    if (list) for (const x of list) if (x.from < firstExposure[k]!) firstExposure[k] = x.from;
  });
  const col = pairs.columns();
  const canaryOfPair = (p: number) => {
    const k = col.canary[p]!;
    return k < 0 ? -1 : resolved[k]!;
  };
  // Rang only before anything could have seen the number: no leak gave it to them (noise). Otherwise
  // the pair is evidence on its canary: counted, then laid out per canary (CSR).
  const noiseOf = new Int32Array(pairs.callers.length);
  const perCanary = new Int32Array(canaryIds.length + 1);
  const evidence = new Uint8Array(pairs.size);
  for (let p = 0; p < pairs.size; p++) {
    const k = canaryOfPair(p);
    const last = col.times[p * TIMES_PER_PAIR + col.kept[p]! - 1]!;
    if (k < 0 || last < firstExposure[k]!) noiseOf[col.caller[p]!]!++;
    else {
      evidence[p] = 1;
      perCanary[k + 1]!++;
    }
  }
  for (let k = 0; k < canaryIds.length; k++) perCanary[k + 1]! += perCanary[k]!;
  const entries = perCanary[canaryIds.length]!;
  const onCanary = new Int32Array(entries);
  const fill = perCanary.slice(0, canaryIds.length);
  for (let p = 0; p < pairs.size; p++) if (evidence[p]) onCanary[fill[canaryOfPair(p)]!++] = p;
  const laid = { pair: onCanary, caller: new Int32Array(entries), callerNumbers: new Int32Array(entries), count: new Int32Array(entries), kept: new Uint8Array(entries), times: new Float64Array(entries * TIMES_PER_PAIR) };
  for (const list of canariesOf.values()) {
    for (const k of list) {
      const i = canaryIx.get(k.canaryId);
      if (i !== undefined) [k.start, k.end] = [perCanary[i]!, perCanary[i + 1]!];
    }
  }
  for (let e = 0; e < entries; e++) {
    const p = onCanary[e]!;
    const c = col.caller[p]!;
    laid.caller[e] = col.withheld[c] === 1 ? -1 : c;
    laid.callerNumbers[e] = col.numbers[c]!;
    laid.count[e] = col.count[p]!;
    const kept = col.kept[p]!;
    laid.kept[e] = kept;
    for (let i = 0; i < kept; i++) laid.times[e * TIMES_PER_PAIR + i] = col.times[p * TIMES_PER_PAIR + i]!;
  }

  return {
    channels, exposuresOf, canariesOf, calls: pairs, noiseOf, pairs: pairs.size,
    onCanary: laid,
    pairsOn: (canaryId) => {
      const k = canaryIx.get(canaryId);
      return k === undefined ? NONE : onCanary.subarray(perCanary[k]!, perCanary[k + 1]!);
    },
    callerStats: (caller) => {
      const c = pairs.callerIndex(caller);
      return c === undefined ? undefined : { numbers: pairs.numbersOf(c), noise: noiseOf[c]! };
    },
  };
}
