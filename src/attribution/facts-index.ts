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
  onCanary: { pair: Int32Array; caller: Int32Array; callerNumbers: Int32Array; count: Int32Array; kept: Uint8Array; times: Float64Array;
    /** The slot of the entry's first kept call at or after its canary's first exposure (`kept` when none). */
    first: Uint8Array };
  /** Numbers each caller (by index) rang that no leak could have given it. */
  noiseOf: Int32Array;
  callerStats(caller: string): CallerStats | undefined;
  /** Distinct (caller, number) pairs in all: the size of the caller population the background draws from. */
  pairs: number;
}

const NONE = new Int32Array(0);

/**
 * The slot of an entry's first kept call at or after exposure `k` (`kept` when none): laid out for a
 * canary exposed to one channel, looked for otherwise (its channels saw it at different times).
 */
export function firstSlot(ev: FactsIndex['onCanary'], e: number, k: { from: number; channels: number }): number {
  if (k.channels === 1) return ev.first[e]!;
  const kept = ev.kept[e]!;
  let slot = 0;
  while (slot < kept && ev.times[e * TIMES_PER_PAIR + slot]! < k.from) slot++;
  return slot;
}

/** What one state of the exposures (and of the canary of each number) gives, kept while both stand. */
interface ExposurePart {
  /** The pairs whose canary keys are resolved below (folded anew, they are resolved anew). */
  pairs: CallPairs;
  exposures: Exposure[];
  canaryOf: (key: string) => string | null;
  channels: string[];
  exposuresOf: Map<string, ExposureAt[]>;
  canariesOf: Map<string, CanaryExposure[]>;
  /** The pairs' canary keys resolved so far (pairs only ever add keys, in order). */
  resolvedKeys: number;
  resolved: Int32Array;
  canaryIds: string[];
  canaryIx: Map<string, number>;
  firstExposure: Float64Array;
  /** Every channel's canary exposures, and those of each canary, whose `ix` is set when the canary is resolved. */
  all: Array<CanaryExposure & { ix: number }>;
  byCanary: Map<string, Array<CanaryExposure & { ix: number }>>;
}

/**
 * Kept between decodes by a caller that decodes the same store again and again (the report): the
 * exposure part while exposures and `canaryOf` are the same objects, and the layout's buffers, which
 * the next index reuses. An index built with a cache is valid until the next one built with it.
 */
export interface IndexCache {
  part?: ExposurePart;
  buffers?: Record<string, Int32Array | Uint8Array | Float64Array>;
}

function exposurePart(pairs: CallPairs, channels: string[], exposures: Exposure[], canaryOf: (key: string) => string | null): ExposurePart {
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
  const all: ExposurePart['all'] = [];
  const byCanary: ExposurePart['byCanary'] = new Map();
  for (const [canaryId, list] of exposuresOf) {
    for (const x of list) {
      const on = canariesOf.get(x.channelId);
      if (!on) continue;
      const k = { canaryId, from: x.from, start: 0, end: 0, channels: list.length, ix: -1 };
      on.push(k);
      all.push(k);
      const mine = byCanary.get(canaryId);
      if (mine) mine.push(k);
      else byCanary.set(canaryId, [k]);
    }
  }
  return { pairs, exposures, canaryOf, channels, exposuresOf, canariesOf, resolvedKeys: 0, resolved: new Int32Array(1024), canaryIds: [], canaryIx: new Map(), firstExposure: new Float64Array(1024), all, byCanary };
}

/** Resolves the pairs' canary keys not resolved yet to canaries (-1: no canary holds the number), with each canary's first exposure. */
function resolveKeys(part: ExposurePart, keys: string[]): void {
  if (part.resolved.length < keys.length) part.resolved = grown(part.resolved, keys.length);
  for (let k = part.resolvedKeys; k < keys.length; k++) {
    const id = part.canaryOf(keys[k]!);
    if (id === null) {
      part.resolved[k] = -1;
      continue;
    }
    let i = part.canaryIx.get(id);
    if (i === undefined) {
      i = part.canaryIds.push(id) - 1;
      part.canaryIx.set(id, i);
      if (part.firstExposure.length <= i) part.firstExposure = grown(part.firstExposure, i + 1);
      let first = Infinity;
      for (const x of part.exposuresOf.get(id) ?? []) if (x.from < first) first = x.from;
      part.firstExposure[i] = first;
      for (const k of part.byCanary.get(id) ?? []) k.ix = i;
    }
    part.resolved[k] = i;
  }
  part.resolvedKeys = keys.length;
}

function grown<T extends Int32Array | Float64Array>(a: T, n: number): T {
  const next = new (a.constructor as new (n: number) => T)(Math.max(n, a.length * 2));
  next.set(a);
  return next;
}

/** A buffer of at least n from the cache (or new), as a view of exactly n, not zeroed. */
function buffer<T extends Int32Array | Uint8Array | Float64Array>(cache: IndexCache | undefined, name: string, make: new (n: number) => T, n: number): T {
  if (!cache) return new make(n);
  const pool = (cache.buffers ??= {});
  let b = pool[name] as T | undefined;
  if (!b || b.length < n) pool[name] = b = new make(Math.ceil(n * 1.25) + 16);
  return b.subarray(0, n) as T;
}

/**
 * `canaryOf` turns the canary key the pairs were folded with into a canary id: the identity for calls
 * given as data; for stored hits the key is the number's id, and the canary holding that number is
 * looked up as the store stands now (a number assigned after its first calls still counts).
 */
export function indexFacts(channels: string[], exposures: Exposure[], calls: Iterable<DecoderCall> | CallPairs, canaryOf: (key: string) => string | null = (k) => k, cache?: IndexCache): FactsIndex {
  const pairs = calls instanceof CallPairs ? calls : pairsOf(calls);
  let part = cache?.part;
  if (!part || part.pairs !== pairs || part.exposures !== exposures || part.canaryOf !== canaryOf || part.channels.length !== channels.length || part.channels.some((c, i) => c !== channels[i])) {
    part = exposurePart(pairs, channels, exposures, canaryOf);
    if (cache) cache.part = part;
  }
  resolveKeys(part, pairs.canaries);
  const { exposuresOf, canariesOf, canaryIds, canaryIx, resolved, firstExposure } = part;
  const canaryCount = canaryIds.length;
  const col = pairs.columns();
  // Rang only before anything could have seen the number: no leak gave it to them (noise). Otherwise
  // the pair is evidence on its canary (its index in pk, -1 for noise): counted, then laid out per canary (CSR).
  const noiseOf = buffer(cache, 'noiseOf', Int32Array, pairs.callers.length).fill(0);
  const perCanary = buffer(cache, 'perCanary', Int32Array, canaryCount + 1).fill(0);
  const pk = buffer(cache, 'pk', Int32Array, pairs.size);
  const { canary: keyOf, kept: keptOf, times: timesOf, caller: callerOf } = col;
  for (let p = 0; p < pairs.size; p++) {
    const key = keyOf[p]!;
    const k = key < 0 ? -1 : resolved[key]!;
    if (k < 0 || timesOf[p * TIMES_PER_PAIR + keptOf[p]! - 1]! < firstExposure[k]!) {
      noiseOf[callerOf[p]!]!++;
      pk[p] = -1;
    } else {
      pk[p] = k;
      perCanary[k + 1]!++;
    }
  }
  for (let k = 0; k < canaryCount; k++) perCanary[k + 1]! += perCanary[k]!;
  const entries = perCanary[canaryCount]!;
  const onCanary = buffer(cache, 'onCanary', Int32Array, entries);
  const laid = {
    pair: onCanary, caller: buffer(cache, 'caller', Int32Array, entries), callerNumbers: buffer(cache, 'callerNumbers', Int32Array, entries),
    count: buffer(cache, 'count', Int32Array, entries), kept: buffer(cache, 'kept', Uint8Array, entries),
    first: buffer(cache, 'first', Uint8Array, entries), times: buffer(cache, 'times', Float64Array, entries * TIMES_PER_PAIR),
  };
  // Laid out in the pairs' order, each written to its place in its canary's run: the reads stay sequential.
  const fill = buffer(cache, 'fill', Int32Array, canaryCount);
  fill.set(perCanary.subarray(0, canaryCount));
  const { withheld, numbers, count } = col;
  for (let p = 0; p < pairs.size; p++) {
    const k = pk[p]!;
    if (k < 0) continue;
    const e = fill[k]!++;
    onCanary[e] = p;
    const c = callerOf[p]!;
    laid.caller[e] = withheld[c] === 1 ? -1 : c;
    laid.callerNumbers[e] = numbers[c]!;
    laid.count[e] = count[p]!;
    const kept = keptOf[p]!;
    laid.kept[e] = kept;
    const base = p * TIMES_PER_PAIR;
    const from = firstExposure[k]!;
    let first = kept;
    for (let i = 0; i < kept; i++) {
      const t = timesOf[base + i]!;
      laid.times[e * TIMES_PER_PAIR + i] = t;
      if (first === kept && t >= from) first = i;
    }
    laid.first[e] = first;
  }
  for (const k of part.all) {
    if (k.ix >= 0) {
      k.start = perCanary[k.ix]!;
      k.end = perCanary[k.ix + 1]!;
    } else k.start = k.end = 0;
  }

  return {
    channels, exposuresOf, canariesOf, calls: pairs, noiseOf, pairs: pairs.size,
    onCanary: laid,
    pairsOn: (canaryId) => {
      const k = canaryIx.get(canaryId);
      return k === undefined ? NONE : onCanary.slice(perCanary[k]!, perCanary[k + 1]!);
    },
    callerStats: (caller) => {
      const c = pairs.callerIndex(caller);
      return c === undefined ? undefined : { numbers: pairs.numbersOf(c), noise: noiseOf[c]! };
    },
  };
}
