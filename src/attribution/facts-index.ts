import type { DecoderCall, Exposure } from './model.ts';

/** Earliest calls kept per (caller, number): enough to find the first call after each exposure. */
const TIMES_PER_PAIR = 4;

/** What one caller did to one number: the earliest calls, in time order. */
export interface PairCalls {
  caller: string;
  number: string;
  canaryId: string | null;
  times: number[];
  ids: string[];
  /** Every call of this caller to this number, not only the earliest kept. */
  count: number;
}

export interface CallerStats {
  /** Distinct numbers this caller rang (repeat calls to one number count once). */
  numbers: number;
  /** Distinct numbers it rang that no leak could have given it: controls, burn-in, unassigned, a canary before any exposure. */
  noise: number;
}

export interface ExposureAt {
  channelId: string;
  from: number;
}

/**
 * The facts, indexed for the decoder: exposures per canary and per channel, and per canary the
 * callers that rang it. Built once per decode, in one pass over the calls.
 */
export interface FactsIndex {
  channels: string[];
  /** canary → its exposures (earliest per channel). */
  exposuresOf: Map<string, ExposureAt[]>;
  /** channel → the canaries exposed to it, with when. */
  canariesOf: Map<string, Array<{ canaryId: string; from: number }>>;
  /** canary → the callers that rang it, with their earliest calls. */
  callsOn: Map<string, PairCalls[]>;
  callers: Map<string, CallerStats>;
  /** Distinct (caller, number) pairs in all: the size of the caller population the background draws from. */
  pairs: number;
}

export function indexFacts(channels: string[], exposures: Exposure[], calls: Iterable<DecoderCall>): FactsIndex {
  const exposuresOf = new Map<string, ExposureAt[]>();
  for (const e of exposures) {
    const list = exposuresOf.get(e.canaryId) ?? [];
    const same = list.find((x) => x.channelId === e.channelId);
    if (same) same.from = Math.min(same.from, e.from);
    else list.push({ channelId: e.channelId, from: e.from });
    exposuresOf.set(e.canaryId, list);
  }
  const canariesOf = new Map<string, Array<{ canaryId: string; from: number }>>(channels.map((c) => [c, []]));
  for (const [canaryId, list] of exposuresOf) {
    for (const x of list) canariesOf.get(x.channelId)?.push({ canaryId, from: x.from });
  }

  const byPair = new Map<string, PairCalls>();
  for (const call of calls) {
    const key = `${call.caller}\u0000${call.number}`;
    let pair = byPair.get(key);
    if (!pair) byPair.set(key, (pair = { caller: call.caller, number: call.number, canaryId: call.canaryId, times: [], ids: [], count: 0 }));
    pair.count++;
    insertEarliest(pair, call.at, call.id);
  }

  const callsOn = new Map<string, PairCalls[]>();
  const callers = new Map<string, CallerStats>();
  for (const pair of byPair.values()) {
    const stats = callers.get(pair.caller) ?? { numbers: 0, noise: 0 };
    stats.numbers++;
    const exposed = pair.canaryId ? exposuresOf.get(pair.canaryId) : undefined;
    const firstExposure = exposed ? Math.min(...exposed.map((x) => x.from)) : Infinity;
    // Rang only before anything could have seen the number: no leak gave it to them.
    if (pair.times[pair.times.length - 1]! < firstExposure) stats.noise++;
    else {
      const list = callsOn.get(pair.canaryId!) ?? [];
      list.push(pair);
      callsOn.set(pair.canaryId!, list);
    }
    callers.set(pair.caller, stats);
  }
  return { channels, exposuresOf, canariesOf, callsOn, callers, pairs: byPair.size };
}

function insertEarliest(pair: PairCalls, at: number, id: string): void {
  const { times, ids } = pair;
  if (times.length === TIMES_PER_PAIR && at >= times[times.length - 1]!) return;
  let i = times.length;
  while (i > 0 && times[i - 1]! > at) i--;
  times.splice(i, 0, at);
  ids.splice(i, 0, id);
  if (times.length > TIMES_PER_PAIR) {
    times.pop();
    ids.pop();
  }
}

/** The caller's first call on the number at or after `from`, if any. */
export function firstCallAfter(pair: PairCalls, from: number): { at: number; id: string } | null {
  for (let i = 0; i < pair.times.length; i++) if (pair.times[i]! >= from) return { at: pair.times[i]!, id: pair.ids[i]! };
  return null;
}
