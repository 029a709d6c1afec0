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
import { indexFacts, firstCallAfter, type FactsIndex } from './facts-index.ts';
import { latencyCdf, latencyDensityPerDay } from './latency.ts';
import { DEFAULT_DECODER_OPTIONS, type DecoderInput, type DecoderOptions, type DecoderResult } from './model.ts';
import { describeChannel } from './reasons.ts';

/** Strongest callers per channel considered as its party in the joint enumeration (plus "nobody seen"). */
const PARTIES_PER_CHANNEL = 3;

export interface CallerEvidence {
  caller: string;
  logLr: number;
  /** canaryId → the caller's first call on it after the exposure. */
  calls: Array<{ canaryId: string; callId: string; latencyMs: number; exposedOnlyHere: boolean }>;
}

export interface ChannelEvidence {
  channelId: string;
  canaries: Array<{ canaryId: string; from: number; missWeight: number }>;
  /** log of Π (1 − qF): the channel leaks and nobody we saw is its party. */
  logUnseen: number;
  /** log Bayes factor of "leaks" against "clean", party summed out. */
  logBf: number;
  callers: CallerEvidence[];
}

export interface Pass {
  q: number;
  idx: FactsIndex;
  evidence: Map<string, ChannelEvidence>;
  marginals: Map<string, number>;
  leakingSet: string[];
  partyOf: Map<string, string | null>;
  method: 'exact' | 'screened';
}

export function decode(input: DecoderInput): DecoderResult {
  const o: DecoderOptions = { ...DEFAULT_DECODER_OPTIONS, ...input.options };
  const r = Math.max(input.backgroundPerNumberDay, 1e-4);
  const now = input.now ?? Infinity;
  const idx = input.prebuilt ?? indexFacts(input.channels, input.exposures, input.calls);
  const priorQ = o.callBack.alpha / (o.callBack.alpha + o.callBack.beta);
  let pass = runPass(idx, priorQ, r, now, o);
  const q = estimateQ(pass, o, now);
  if (Math.abs(q - priorQ) > 0.01) pass = runPass(idx, q, r, now, o);
  return {
    channels: input.channels.map((id) => describeChannel(pass, id, { r, now, o, names: input.channelNames ?? {} })),
    callBackProbability: round(pass.q, 3),
    backgroundPerNumberDay: r,
    prior: o.prior,
    method: pass.method,
    leakingSet: pass.leakingSet,
  };
}

function runPass(idx: FactsIndex, q: number, r: number, now: number, o: DecoderOptions): Pass {
  const evidence = new Map(idx.channels.map((c) => [c, channelEvidence(idx, c, q, r, now, o)]));
  const logOdds = Math.log(o.prior / (1 - o.prior));
  const withCallers = [...evidence.values()].filter((e) => e.callers.length > 0).sort((a, b) => b.logBf - a.logBf || (a.channelId < b.channelId ? -1 : 1));
  const candidates = withCallers.slice(0, o.maxCandidates).map((e) => e.channelId);
  const marginals = new Map<string, number>();
  for (const e of evidence.values()) marginals.set(e.channelId, e.canaries.length ? sigmoid(logOdds + e.logBf) : o.prior);
  const joint = enumerateSets(idx, evidence, candidates, q, r, now, o, logOdds);
  for (const [c, p] of joint.marginals) marginals.set(c, p);
  const partyOf = new Map<string, string | null>();
  for (const e of evidence.values()) partyOf.set(e.channelId, joint.partyOf.get(e.channelId) ?? e.callers[0]?.caller ?? null);
  return {
    q, idx, evidence, marginals, partyOf,
    leakingSet: joint.best.filter((c) => (marginals.get(c) ?? 0) >= 0.5),
    method: withCallers.length > o.maxCandidates ? 'screened' : 'exact',
  };
}

/** Single-channel evidence: each caller's log likelihood ratio as this channel's leak party. */
function channelEvidence(idx: FactsIndex, channelId: string, q: number, r: number, now: number, o: DecoderOptions): ChannelEvidence {
  const canaries = (idx.canariesOf.get(channelId) ?? []).map((k) => ({ ...k, missWeight: 1 - q * latencyCdf(o.latency, now - k.from) }));
  const byCaller = new Map<string, CallerEvidence>();
  const base = (x: string) => idx.callers.get(x)!.noise * Math.log(o.strayFactor) - Math.log(idx.pairs);
  let logUnseen = 0;
  for (const k of canaries) {
    const onlyHere = (idx.exposuresOf.get(k.canaryId)?.length ?? 0) === 1;
    const calls = firstCallsAfter(idx, k.canaryId, k.from, o);
    // Anyone's call soon after exposure: what a second recipient of the leak would look like.
    const anyone = (q * o.secondPartyShare * calls.reduce((s, c) => s + c.density, 0)) / r;
    const unseen = Math.log(k.missWeight + anyone);
    logUnseen += unseen;
    for (const c of calls) {
      let ev = byCaller.get(c.caller);
      if (!ev) byCaller.set(c.caller, (ev = { caller: c.caller, logLr: base(c.caller), calls: [] }));
      const own = (q * c.density * idx.pairs) / (r * idx.callers.get(c.caller)!.numbers);
      const rest = anyone - (q * o.secondPartyShare * c.density) / r;
      ev.logLr += Math.log(k.missWeight + own + rest) - unseen;
      ev.calls.push({ canaryId: k.canaryId, callId: c.id, latencyMs: c.latencyMs, exposedOnlyHere: onlyHere });
    }
  }
  for (const ev of byCaller.values()) ev.logLr += logUnseen;
  const callers = [...byCaller.values()].sort((a, b) => b.logLr - a.logLr || (a.caller < b.caller ? -1 : 1));
  return { channelId, canaries, logUnseen, logBf: logSumExp([logUnseen, ...callers.map((c) => c.logLr)]), callers };
}

/** Each caller's first call on the canary after `from`, with the latency density it implies. */
function firstCallsAfter(idx: FactsIndex, canaryId: string, from: number, o: DecoderOptions) {
  const out: Array<{ caller: string; id: string; latencyMs: number; density: number }> = [];
  for (const pair of idx.callsOn.get(canaryId) ?? []) {
    const call = firstCallAfter(pair, from);
    if (call) out.push({ caller: pair.caller, id: call.id, latencyMs: call.at - from, density: latencyDensityPerDay(o.latency, call.at - from) });
  }
  return out;
}

interface Joint {
  marginals: Map<string, number>;
  best: string[];
  partyOf: Map<string, string | null>;
}

/** Every set of up to maxLeakers candidate channels, each with its party summed out; shared canaries couple them. */
function enumerateSets(idx: FactsIndex, ev: Map<string, ChannelEvidence>, candidates: string[], q: number, r: number, now: number, o: DecoderOptions, logOdds: number): Joint {
  const sets: Array<{ members: string[]; logW: number; parties: Array<string | null> }> = [{ members: [], logW: 0, parties: [] }];
  const visit = (start: number, members: string[]) => {
    for (let i = start; i < candidates.length; i++) {
      const next = [...members, candidates[i]!];
      const { logLr, parties } = setLikelihood(idx, ev, next, q, r, now, o);
      sets.push({ members: next, logW: next.length * logOdds + logLr, parties });
      if (next.length < o.maxLeakers) visit(i + 1, next);
    }
  };
  visit(0, []);
  const total = logSumExp(sets.map((s) => s.logW));
  const marginals = new Map<string, number>(candidates.map((c) => [c, 0]));
  let best = sets[0]!;
  for (const s of sets) {
    const p = Math.exp(s.logW - total);
    for (const c of s.members) marginals.set(c, marginals.get(c)! + p);
    if (s.logW > best.logW) best = s;
  }
  const partyOf = new Map<string, string | null>(best.members.map((c, i) => [c, best.parties[i]!]));
  return { marginals, best: best.members, partyOf };
}

/** log P(data | these channels leak) / P(data | none leaks), summing over each channel's party. */
function setLikelihood(idx: FactsIndex, ev: Map<string, ChannelEvidence>, members: string[], q: number, r: number, now: number, o: DecoderOptions) {
  const options = members.map((c) => [null, ...ev.get(c)!.callers.slice(0, PARTIES_PER_CHANNEL).map((x) => x.caller)]);
  const exposed = new Map<string, Array<{ member: number; from: number }>>();
  members.forEach((c, m) => {
    for (const k of ev.get(c)!.canaries) {
      const list = exposed.get(k.canaryId) ?? [];
      list.push({ member: m, from: k.from });
      exposed.set(k.canaryId, list);
    }
  });
  const terms: number[] = [];
  let bestParties: Array<string | null> = members.map(() => null);
  let bestTerm = -Infinity;
  const assignment: Array<string | null> = new Array(members.length).fill(null);
  const walk = (m: number) => {
    if (m === members.length) {
      const t = assignmentLikelihood(idx, exposed, assignment, q, r, now, o);
      terms.push(t);
      if (t > bestTerm) [bestTerm, bestParties] = [t, [...assignment]];
      return;
    }
    for (const party of options[m]!) {
      assignment[m] = party;
      walk(m + 1);
    }
  };
  walk(0);
  return { logLr: logSumExp(terms), parties: bestParties };
}

function assignmentLikelihood(idx: FactsIndex, exposed: Map<string, Array<{ member: number; from: number }>>, parties: Array<string | null>, q: number, r: number, now: number, o: DecoderOptions): number {
  let log = 0;
  for (const x of new Set(parties)) {
    if (x !== null) log += idx.callers.get(x)!.noise * Math.log(o.strayFactor) - Math.log(idx.pairs);
  }
  for (const [canaryId, list] of exposed) {
    // Exposures of this canary grouped by the party they would have leaked to.
    const groups = new Map<string | null, number[]>();
    for (const e of list) {
      const g = groups.get(parties[e.member]!) ?? [];
      g.push(e.from);
      groups.set(parties[e.member]!, g);
    }
    for (const [party, froms] of groups) {
      let miss = 1;
      let noCall = 1;
      for (const from of froms) {
        miss *= 1 - q * latencyCdf(o.latency, now - from);
        noCall *= 1 - q;
      }
      const earliest = Math.min(...froms);
      let own = 0;
      let anyone = 0;
      for (const c of firstCallsAfter(idx, canaryId, earliest, o)) {
        let density = 0;
        for (const from of froms) density += c.latencyMs + earliest - from >= 0 ? latencyDensityPerDay(o.latency, c.latencyMs + earliest - from) : 0;
        density /= froms.length;
        if (party !== null && c.caller === party) own = ((1 - noCall) * density * idx.pairs) / (r * idx.callers.get(party)!.numbers);
        else anyone += ((1 - noCall) * o.secondPartyShare * density) / r;
      }
      log += Math.log(miss + own + anyone);
    }
  }
  return log;
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

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
export const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;
