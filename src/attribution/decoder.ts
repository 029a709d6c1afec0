// The noise-aware decoder. Its model, stated once (README "How attribution decides" says it in words):
//
// - Each channel leaks with prior π, independently. A leaking channel hands its tickets to one leak
//   party (a caller, or a party investigators grouped).
// - The party calls each canary exposed to it with probability q, its first call a latency after the
//   exposure (lognormal, plus a small share at any time within a month: src/attribution/latency.ts).
// - Everything else is background: calls at r per number-day, uniform in time, from callers spread over
//   every number we hold. Under the background a caller who rang c_x of our numbers rings any given one
//   with probability c_x / C (C: distinct caller-number pairs in all), so one caller reaching several
//   canaries of one channel is a coincidence the background rarely makes — that is what "who called"
//   adds over "called or not". A caller who rang numbers no leak could have given (controls, burn-in,
//   unassigned numbers, canaries before exposure) is weighed down by κ per such number, never banned.
//
// The likelihood ratio of "channel c leaks to party x" against "nothing leaks" is then
//   (κ^noise_x / C) · Π_{k exposed to c} f(k, x),   f = 1 − qF(τ_k) + [x rang k after exposure] · q·L(Δ)·C / (r·c_x)
// where F is the latency CDF at the canary's age τ (a canary exposed an hour ago is only partly a miss).
// The party is summed out (one of the channel's strongest callers, or nobody seen). Sets of leakers
// are enumerated jointly (canaries shared by several channels couple them), exactly over every set of
// up to maxLeakers channels among the channels with evidence (at most maxCandidates of them); channels
// beyond those enter one by one, with the single-channel formula. Deterministic: no sampling.
import { TIMES_PER_PAIR, type CallPairs } from './call-pairs.ts';
import { firstSlot, indexFacts, type FactsIndex } from './facts-index.ts';
import { latencyCdf, latencyDensityPerDay } from './latency.ts';
import { DEFAULT_DECODER_OPTIONS, type DecoderInput, type DecoderOptions, type DecoderResult } from './model.ts';
import { describeChannel } from './reasons.ts';
import { partyProbability } from './party-probability.ts';

/** Strongest callers per channel considered as its party in the joint enumeration (plus "nobody seen"). */
const PARTIES_PER_CHANNEL = 3;
/** A party whose term is this far below the channel's best adds less than e^-12 and is left out. */
const NEGLIGIBLE_LOG_TERM = 12;
/** log odds of about 1 in 1,000. */
const NEGLIGIBLE_LOG_ODDS = Math.log(1e-3);

/** A caller's first call on a canary after its exposure; the hit's id is looked up only when asked for. */
export class EvidenceCall {
  constructor(readonly canaryId: string, readonly latencyMs: number, readonly exposedOnlyHere: boolean, private readonly pairs: CallPairs, private readonly ref: number) {}
  get callId(): string {
    return this.pairs.idOf(this.ref);
  }
}

export interface CallerEvidence {
  caller: string;
  logLr: number;
  /** The caller's first call on each canary after the exposure. */
  calls: EvidenceCall[];
}

export interface ChannelEvidence {
  channelId: string;
  /** The channel's exposed canaries (the index's own list: valid while its decode is). */
  canaries: ReadonlyArray<{ canaryId: string; from: number }>;
  /** log of Π (1 − qF): the channel leaks and nobody we saw is its party. */
  logUnseen: number;
  /** log Bayes factor of "leaks" against "clean", party summed out. */
  logBf: number;
  /** The strongest callers (at most CALLERS_KEPT), strongest first, with their calls. */
  callers: CallerEvidence[];
  /** Callers with evidence on this channel, withheld ones aside; `callers` keeps the strongest. */
  callerCount: number;
}

export interface Pass {
  q: number;
  idx: FactsIndex;
  evidence: Map<string, ChannelEvidence>;
  marginals: Map<string, number>;
  leakingSet: string[];
  partyOf: Map<string, string | null>;
  /** `channel\u0000party` → P(the channel leaks and that party is its leak party), over the joint enumeration's party options. */
  partyMass: Map<string, number>;
  method: 'exact' | 'screened';
}

/** The decode and a way to word any channel's reasons afterwards (the report words each page as it is read). */
export function decodeExplained(input: DecoderInput): {
  result: DecoderResult;
  explain(channelId: string): string[];
  partyProbability(channelId: string, party: string): number;
  /** The channel's strongest callers as the decode kept them, strongest first. */
  strongest(channelId: string): string[];
} {
  let pass: Pass | undefined;
  let ctx: Parameters<typeof describeChannel>[2] | undefined;
  const result = decode({ ...input, explain: () => false }, (p, c) => ((pass = p), (ctx = c)));
  return { result, explain: (id) => describeChannel(pass!, id, ctx!, true).reasons, partyProbability: (id, x) => partyProbability(pass!, id, x),
    strongest: (id) => pass!.evidence.get(id)?.callers.map((c) => c.caller) ?? [],
  };
}

export function decode(input: DecoderInput, keep?: (pass: Pass, ctx: Parameters<typeof describeChannel>[2]) => void): DecoderResult {
  const o: DecoderOptions = { ...DEFAULT_DECODER_OPTIONS, ...input.options };
  const r = Math.max(input.backgroundPerNumberDay, 1e-4);
  const now = input.now ?? Infinity;
  const idx = input.prebuilt ?? indexFacts(input.channels, input.exposures, input.calls);
  const priorQ = o.callBack.alpha / (o.callBack.alpha + o.callBack.beta);
  let pass = runPass(idx, priorQ, r, now, o);
  const q = estimateQ(pass, o, now);
  if (Math.abs(q - priorQ) > 0.01) pass = runPass(idx, q, r, now, o);
  keep?.(pass, { r, now, o, names: input.channelNames ?? {} });
  return {
    channels: input.channels.map((id) => describeChannel(pass, id, { r, now, o, names: input.channelNames ?? {} }, input.explain?.(id) ?? true)),
    callBackProbability: round(pass.q, 3),
    backgroundPerNumberDay: r,
    prior: o.prior,
    method: pass.method,
    leakingSet: pass.leakingSet,
  };
}

function runPass(idx: FactsIndex, q: number, r: number, now: number, o: DecoderOptions): Pass {
  const scratch = scratchFor(idx);
  const evidence = new Map(idx.channels.map((c) => [c, channelEvidence(idx, c, q, r, now, o, scratch)]));
  const logOdds = Math.log(o.prior / (1 - o.prior));
  // Channels whose evidence alone leaves them below 1 in 1,000 cannot move the others: they enter one by one.
  const withEvidence = [...evidence.values()]
    .filter((e) => e.callerCount > 0 && logOdds + e.logBf > NEGLIGIBLE_LOG_ODDS)
    .sort((a, b) => b.logBf - a.logBf || (a.channelId < b.channelId ? -1 : 1));
  const candidates = withEvidence.slice(0, o.maxCandidates).map((e) => e.channelId);
  const marginals = new Map<string, number>();
  for (const e of evidence.values()) marginals.set(e.channelId, e.canaries.length ? sigmoid(logOdds + e.logBf) : o.prior);
  const joint = enumerateSets(idx, evidence, candidates, q, r, now, o, logOdds);
  for (const [c, p] of joint.marginals) marginals.set(c, p);
  const partyOf = new Map<string, string | null>();
  for (const e of evidence.values()) partyOf.set(e.channelId, joint.partyOf.get(e.channelId) ?? e.callers[0]?.caller ?? null);
  return {
    q, idx, evidence, marginals, partyOf, partyMass: joint.partyMass,
    leakingSet: joint.best.filter((c) => (marginals.get(c) ?? 0) >= 0.5),
    method: withEvidence.length > o.maxCandidates ? 'screened' : 'exact',
  };
}

/** Callers kept per channel with their calls (sorted by weight); the rest count only in the channel's Bayes factor. */
const CALLERS_KEPT = 20;

/** Per-caller accumulators for one pass, indexed by caller: reused channel after channel. */
interface Scratch {
  acc: Float64Array;
  weight: Float64Array;
  seen: Uint8Array;
  rank: Int32Array;
  touched: number[];
  /** Per call of the channel (at most one per laid-out entry): canary, entry, slot, and a one-number caller's weight (NaN otherwise). */
  callK: Int32Array;
  callE: Int32Array;
  callSlot: Uint8Array;
  single: Float64Array;
  /** Per entry of the canary at hand: its first call's slot and density. */
  slots: Uint8Array;
  dens: Float64Array;
  /** Per entry of a one-channel canary: its latency density, NaN until computed, for the index and latency model named. */
  density: Float64Array;
  densityOf: FactsIndex | null;
  densityLatency: DecoderOptions['latency'] | null;
}
/**
 * The scratch of the last decode, reused while it is large enough: allocating (and zeroing) tens of
 * megabytes per pass costs more than the pass. Safe because every channel leaves `seen` and `rank`
 * as it found them, and `acc`, `weight`, `slots`, `dens` are written before they are read.
 */
let pooled: Scratch | null = null;
const scratchFor = (idx: FactsIndex): Scratch => {
  const n = idx.calls.callers.length;
  const e = idx.onCanary.pair.length;
  if (pooled && pooled.acc.length >= n && pooled.callK.length >= e) return pooled;
  const cn = Math.ceil(n * 1.25) + 16;
  const ce = Math.ceil(e * 1.25) + 16;
  pooled = {
    acc: new Float64Array(cn), weight: new Float64Array(cn), seen: new Uint8Array(cn), rank: new Int32Array(cn), touched: [],
    callK: new Int32Array(ce), callE: new Int32Array(ce), callSlot: new Uint8Array(ce), single: new Float64Array(ce), slots: new Uint8Array(ce), dens: new Float64Array(ce),
    density: new Float64Array(ce), densityOf: null, densityLatency: null,
  };
  return pooled;
};

/**
 * Single-channel evidence: each caller's log likelihood ratio as this channel's leak party. Reads the
 * channel's canaries' pairs in their laid-out order; a caller who rang only this one number (most of
 * the background) needs no accumulator, its one call is its whole weight.
 */
export function channelEvidence(idx: FactsIndex, channelId: string, q: number, r: number, now: number, o: DecoderOptions, s: Scratch = scratchFor(idx)): ChannelEvidence {
  const x = idx.calls;
  const ev = idx.onCanary;
  const canaries = idx.canariesOf.get(channelId) ?? [];
  const logKappa = Math.log(o.strayFactor);
  const logPairs = Math.log(idx.pairs);
  const share = q * o.secondPartyShare;
  const { acc, weight, seen, rank, touched, callK, callE, callSlot, single, slots, dens } = s;
  // A canary exposed to one channel only: its entries' first slot after exposure is laid out, and their
  // latency density is the same in every pass of this decode, so it is computed once.
  if (s.densityOf !== idx || s.densityLatency !== o.latency) {
    s.densityOf = idx;
    s.densityLatency = o.latency;
    s.density.fill(NaN, 0, ev.pair.length);
  }
  const density = s.density;
  // The columns as locals: the loops below call out (latency), which stops the engine keeping field loads out of them.
  const evKept = ev.kept, evTimes = ev.times, evCaller = ev.caller, evNumbers = ev.callerNumbers;
  const pairsN = idx.pairs;
  const noiseOf = idx.noiseOf;
  let calls = 0;
  let logUnseen = 0;
  touched.length = 0;
  // One-number callers (most callers: their one number is this canary) are weighed by a ratio, not a
  // logarithm: their weight is -log(pairs) + logUnseen + log(ratio), a monotone function of it.
  let maxRatio = 0;
  let singles = 0;
  let ratioSum = 0;
  for (let ki = 0; ki < canaries.length; ki++) {
    const k = canaries[ki]!;
    const from = k.from;
    const one = k.channels === 1;
    const missWeight = 1 - q * latencyCdf(o.latency, now - from);
    let sumDensity = 0;
    for (let e = k.start; e < k.end; e++) {
      const base = e * TIMES_PER_PAIR;
      const kept = evKept[e]!;
      const slot = firstSlot(ev, e, k);
      slots[e] = slot;
      if (slot === kept) continue;
      let d = one ? density[e]! : NaN;
      if (Number.isNaN(d)) {
        d = latencyDensityPerDay(o.latency, evTimes[base + slot]! - from);
        if (one) density[e] = d;
      }
      dens[e] = d;
      sumDensity += d;
    }
    // Anyone's call soon after exposure: what a second recipient of the leak would look like.
    const anyone = (share * sumDensity) / r;
    const unseenWeight = missWeight + anyone;
    const unseen = Math.log(unseenWeight);
    logUnseen += unseen;
    for (let e = k.start; e < k.end; e++) {
      if (slots[e] === evKept[e]) continue;
      const c = evCaller[e]!;
      // A withheld number names no one: its call counts only as a second recipient's would.
      if (c < 0) continue;
      const own = (q * dens[e]! * pairsN) / (r * evNumbers[e]!);
      const rest = anyone - (share * dens[e]!) / r;
      if (evNumbers[e] === 1) {
        const ratio = (missWeight + own + rest) / unseenWeight;
        single[calls] = ratio;
        singles++;
        ratioSum += ratio;
        if (ratio > maxRatio) maxRatio = ratio;
      } else {
        const delta = Math.log(missWeight + own + rest) - unseen;
        if (seen[c] === 0) {
          seen[c] = 1;
          acc[c] = 0;
          touched.push(c);
        }
        acc[c] = acc[c]! + delta;
        single[calls] = NaN;
      }
      callK[calls] = ki;
      callE[calls] = e;
      callSlot[calls] = slots[e]!;
      calls++;
    }
  }
  // Weights: one-number callers by their call, the others summed.
  let max = logUnseen;
  for (const c of touched) {
    const w = noiseOf[c]! * logKappa - logPairs + acc[c]! + logUnseen;
    weight[c] = w;
    if (w > max) max = w;
  }
  const singleBase = -logPairs + logUnseen;
  if (maxRatio > 0 && singleBase + Math.log(maxRatio) > max) max = singleBase + Math.log(maxRatio);
  // No one-number caller: nothing to add (and with no pairs at all, singleBase is +∞).
  let sum = Math.exp(logUnseen - max) + (singles > 0 ? ratioSum * Math.exp(singleBase - max) : 0);
  for (const c of touched) sum += Math.exp(weight[c]! - max);
  // The strongest callers, strongest first (ties by key): kept with their calls.
  // i: the call of a one-number caller (its only one), -1 for a caller whose calls are gathered below.
  const order: Array<{ c: number; w: number; i: number }> = [];
  const before = (a: { c: number; w: number }, b: { c: number; w: number }) => b.w - a.w || (x.callers[a.c]! < x.callers[b.c]! ? -1 : x.callers[a.c]! > x.callers[b.c]! ? 1 : 0);
  const consider = (c: number, w: number, i: number) => {
    const cand = { c, w, i };
    if (order.length === CALLERS_KEPT && before(cand, order[CALLERS_KEPT - 1]!) >= 0) return;
    let at = Math.min(order.length, CALLERS_KEPT - 1);
    order[at] = cand;
    while (at > 0 && before(order[at]!, order[at - 1]!) < 0) {
      [order[at], order[at - 1]] = [order[at - 1]!, order[at]!];
      at--;
    }
  };
  for (const c of touched) consider(c, weight[c]!, -1);
  // A one-number caller's weight is worked out only when it could enter the kept list: its ratio is
  // not below the one the last kept weight implies (less a margin for rounding; `before` decides).
  let ratioFloor = 0;
  for (let i = 0; i < calls; i++) {
    const ratio = single[i]!;
    if (Number.isNaN(ratio) || ratio < ratioFloor) continue;
    const w = singleBase + Math.log(ratio);
    single[i] = w;
    consider(evCaller[callE[i]!]!, w, i);
    if (order.length === CALLERS_KEPT) ratioFloor = Math.exp(order[CALLERS_KEPT - 1]!.w - singleBase) * (1 - 1e-9);
  }
  const callOf = (i: number) => {
    const e = callE[i]!;
    const k = canaries[callK[i]!]!;
    const slot = callSlot[i]!;
    return new EvidenceCall(k.canaryId, ev.times[e * TIMES_PER_PAIR + slot]! - k.from, k.channels === 1, x, x.ref(ev.pair[e]!, slot));
  };
  const callers: CallerEvidence[] = order.map(({ c, w, i }, n) => {
    if (i < 0) rank[c] = n + 1;
    return { caller: x.callers[c]!, logLr: w, calls: i < 0 ? [] : [callOf(i)] };
  });
  if (order.some((o) => o.i < 0)) {
    for (let i = 0; i < calls; i++) {
      if (!Number.isNaN(single[i]!)) continue;
      const at = rank[ev.caller[callE[i]!]!]!;
      if (at !== 0) callers[at - 1]!.calls.push(callOf(i));
    }
  }
  for (const { c } of order) rank[c] = 0;
  for (const c of touched) seen[c] = 0;
  return {
    channelId, canaries,
    logUnseen, logBf: max + Math.log(sum), callers, callerCount: touched.length + singles,
  };
}

/** Each caller's first call on the canary after `from`, with the latency density it implies. */
function firstCallsAfter(idx: FactsIndex, canaryId: string, from: number, o: DecoderOptions) {
  const x = idx.calls;
  const out: Array<{ caller: string; id: string; latencyMs: number; density: number }> = [];
  for (const p of idx.pairsOn(canaryId)) {
    const slot = x.firstAfter(p, from);
    if (slot < 0) continue;
    const at = x.time(p, slot);
    out.push({ caller: x.callers[x.caller(p)]!, id: x.idOf(x.ref(p, slot)), latencyMs: at - from, density: latencyDensityPerDay(o.latency, at - from) });
  }
  return out;
}

interface Joint {
  marginals: Map<string, number>;
  best: string[];
  partyOf: Map<string, string | null>;
  partyMass: Map<string, number>;
}

/**
 * Every set of up to maxLeakers candidate channels, each with its party summed out. A set's likelihood
 * is the product of its channels' single-channel terms, corrected where they are not independent: a
 * party shared by several channels is one caller (its prior counts once), and a canary exposed to
 * several channels of the set is judged once, jointly (src: `sharedCanaryFactor`).
 */
function enumerateSets(idx: FactsIndex, ev: Map<string, ChannelEvidence>, candidates: string[], q: number, r: number, now: number, o: DecoderOptions, logOdds: number): Joint {
  const parties = candidates.map((c) => {
    const e = ev.get(c)!;
    const best = Math.max(e.logUnseen, e.callers[0]?.logLr ?? -Infinity);
    const options: Array<{ party: string | null; term: number }> = [{ party: null, term: e.logUnseen }];
    for (const x of e.callers.slice(0, PARTIES_PER_CHANNEL)) if (x.logLr > best - NEGLIGIBLE_LOG_TERM) options.push({ party: x.caller, term: x.logLr });
    return options;
  });
  const terms = parties.map((options) => options.map((x) => x.term));
  const exposureOf = candidates.map((c) => new Map(ev.get(c)!.canaries.map((k) => [k.canaryId, k.from])));
  // Canaries each pair of candidates shares: only these couple a set's channels.
  const shared = new Map<string, string[]>();
  for (let i = 0; i < candidates.length; i++) {
    for (let j = i + 1; j < candidates.length; j++) {
      const both = [...exposureOf[i]!.keys()].filter((k) => exposureOf[j]!.has(k));
      if (both.length > 0) shared.set(`${i},${j}`, both);
    }
  }
  const partyPrior = (x: string) => idx.callerStats(x)!.noise * Math.log(o.strayFactor) - Math.log(idx.pairs);

  const sets: Array<{ members: number[]; logW: number; parties: Array<string | null> }> = [{ members: [], logW: 0, parties: [] }];
  const mass = new Map<string, number>(); // channel\u0000party → log of its unnormalised posterior mass
  const addMass = (key: string, log: number) => mass.set(key, logAdd(mass.get(key) ?? -Infinity, log));
  const setLikelihood = (members: number[]) => {
    const coupled = new Set<string>();
    for (let a = 0; a < members.length; a++) for (let b = a + 1; b < members.length; b++) for (const k of shared.get(`${members[a]},${members[b]}`) ?? []) coupled.add(k);
    const choice = new Array<number>(members.length).fill(0);
    const logs: number[] = [];
    let best = -Infinity;
    let bestParties: Array<string | null> = members.map(() => null);
    const walk = (m: number) => {
      if (m < members.length) {
        for (let p = 0; p < parties[members[m]!]!.length; p++) {
          choice[m] = p;
          walk(m + 1);
        }
        return;
      }
      const assigned = members.map((c, i) => parties[c]![choice[i]!]!.party);
      let log = 0;
      members.forEach((c, i) => (log += terms[c]![choice[i]!]!));
      const counts = new Map<string, number>();
      for (const x of assigned) if (x !== null) counts.set(x, (counts.get(x) ?? 0) + 1);
      for (const [x, n] of counts) if (n > 1) log -= (n - 1) * partyPrior(x);
      for (const k of coupled) log += sharedCanaryFactor(idx, k, members.map((c, i) => ({ from: exposureOf[c]!.get(k), party: assigned[i]! })), q, r, now, o);
      logs.push(log);
      assigned.forEach((x, i) => x !== null && addMass(`${candidates[members[i]!]!}\u0000${x}`, log + members.length * logOdds));
      if (log > best) [best, bestParties] = [log, assigned];
    };
    walk(0);
    return { logLr: logSumExp(logs), parties: bestParties };
  };
  const visit = (start: number, members: number[]) => {
    for (let i = start; i < candidates.length; i++) {
      const next = [...members, i];
      const { logLr, parties: chosen } = setLikelihood(next);
      sets.push({ members: next, logW: next.length * logOdds + logLr, parties: chosen });
      if (next.length < o.maxLeakers) visit(i + 1, next);
    }
  };
  visit(0, []);
  const total = logSumExp(sets.map((x) => x.logW));
  const marginals = new Map<string, number>(candidates.map((c) => [c, 0]));
  let best = sets[0]!;
  for (const x of sets) {
    const p = Math.exp(x.logW - total);
    for (const m of x.members) marginals.set(candidates[m]!, marginals.get(candidates[m]!)! + p);
    if (x.logW > best.logW) best = x;
  }
  const partyOf = new Map<string, string | null>(best.members.map((m, i) => [candidates[m]!, best.parties[i]!]));
  return { marginals, best: best.members.map((m) => candidates[m]!), partyOf, partyMass: new Map([...mass].map(([k, log]) => [k, Math.exp(log - total)])) };
}

/**
 * log of (the joint factor of a canary exposed to several channels of a set) over (the product of
 * their single-channel factors, which the set's terms already hold). Jointly the canary has one first
 * leak call at most: none (every exposure missed), or one of its calls — from the party of the
 * exposures that party would have received, or from anyone else as a second recipient of any of them.
 */
function sharedCanaryFactor(idx: FactsIndex, canaryId: string, members: Array<{ from: number | undefined; party: string | null }>, q: number, r: number, now: number, o: DecoderOptions): number {
  const exposed = members.filter((m): m is { from: number; party: string | null } => m.from !== undefined);
  let singles = 0;
  for (const m of exposed) singles += Math.log(canaryFactor(idx, canaryId, [m], q, r, now, o));
  return Math.log(canaryFactor(idx, canaryId, exposed, q, r, now, o)) - singles;
}

/**
 * A canary's likelihood ratio under "these exposures leak, each to its party (null: one we never saw)"
 * against "nothing leaks": no leak call yet, or one of the canary's calls is the first leak call.
 */
export function canaryFactor(idx: FactsIndex, canaryId: string, exposures: Array<{ from: number; party: string | null }>, q: number, r: number, now: number, o: DecoderOptions): number {
  let miss = 1;
  for (const e of exposures) miss *= 1 - q * latencyCdf(o.latency, now - e.from);
  const earliest = Math.min(...exposures.map((e) => e.from));
  const parties = new Set(exposures.map((e) => e.party).filter((x): x is string => x !== null));
  const density = (list: Array<{ from: number }>, at: number) => list.reduce((s, e) => s + latencyDensityPerDay(o.latency, at - e.from), 0) / list.length;
  const pLeak = (n: number) => 1 - (1 - q) ** n;
  let f = miss;
  for (const c of firstCallsAfter(idx, canaryId, earliest, o)) {
    const at = earliest + c.latencyMs;
    if (parties.has(c.caller)) {
      const mine = exposures.filter((e) => e.party === c.caller);
      f += (pLeak(mine.length) * density(mine, at) * idx.pairs) / (r * idx.callerStats(c.caller)!.numbers);
    } else {
      f += (pLeak(exposures.length) * o.secondPartyShare * density(exposures, at)) / r;
    }
  }
  return f;
}

/** Posterior mean of q: Beta prior updated with the canaries the likely leakers' parties called or did not. */
function estimateQ(pass: Pass, o: DecoderOptions, now: number): number {
  let called = 0;
  let chances = 0;
  for (const c of pass.leakingSet) {
    const e = pass.evidence.get(c)!;
    const party = e.callers.find((x) => x.caller === pass.partyOf.get(c));
    called += party?.calls.length ?? 0;
    for (const k of e.canaries) chances += latencyCdf(o.latency, now - k.from);
  }
  const q = (o.callBack.alpha + called) / (o.callBack.alpha + o.callBack.beta + Math.max(chances, called));
  return Math.min(0.98, Math.max(0.05, q));
}

export function logSumExp(xs: number[]): number {
  let max = -Infinity;
  for (const x of xs) if (x > max) max = x;
  if (max === -Infinity) return -Infinity;
  let s = 0;
  for (const x of xs) s += Math.exp(x - max);
  return max + Math.log(s);
}

const logAdd = (a: number, b: number) => (a === -Infinity ? b : a > b ? a + Math.log1p(Math.exp(b - a)) : b + Math.log1p(Math.exp(a - b)));
const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
export const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;
