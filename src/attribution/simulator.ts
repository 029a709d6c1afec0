// The world simulator: channels (with flows), a leaking set, leak parties that call back a share q
// of the canaries they see after a latency, background calls on every number (controls too),
// optional poisoners (strays, a robocaller, withheld callers), all on a virtual clock and
// deterministic from a seed. It feeds the same decoder the report uses (decoder.ts), with the
// background rate measured on the world's controls as the report measures it.
import { decode } from './decoder.ts';
import type { Design } from './designs.ts';
import type { DecoderCall, DecoderOptions, DecoderResult, Exposure } from './model.ts';
import { createRng, type Rng } from './prng.ts';
import { timeForShifts } from './shift-design.ts';
import { withShifts, type ShiftSchedule } from '../planting/shifts.ts';

export const MINUTE = 60_000;
export const DAY = 1_440 * MINUTE;
/** Monday 5 January 2026, 08:00 UTC: the virtual clock's zero. */
export const WORLD_START = Date.UTC(2026, 0, 5, 8, 0);

export interface Flow {
  from: string;
  to: string;
  delayMinutes: number;
}

export type LatencyTruth =
  | { kind: 'lognormal'; medianMinutes: number; sigma: number }
  /** The party works its tickets in a batch: the next `hourOfDay` (UTC) after exposure, then within `spreadMinutes`. */
  | { kind: 'batch'; hourOfDay: number; spreadMinutes: number };

/** Leak latency when none is given: median an hour, 90 % between 8 minutes and 7 hours. */
export const DEFAULT_LATENCY: LatencyTruth = { kind: 'lognormal', medianMinutes: 60, sigma: 1.2 };

export interface StrayCalls {
  /** Calls each party makes to numbers no canary holds. */
  unmatched?: number;
  /** Calls each party makes to control numbers. */
  controls?: number;
  /** Calls each party makes to canaries exposed only to innocent channels (after their exposure). */
  innocentCanaries?: number;
}

export interface WorldConfig {
  channels: string[];
  flows?: Flow[];
  leaking: string[];
  /** Probability a leak party calls a canary its channel saw. */
  q: number;
  latency?: LatencyTruth;
  backgroundPerNumberDay: number;
  days: number;
  controls: number;
  seed: number;
  strays?: StrayCalls;
  /** One caller rings every number in service (canaries, controls, some unmatched numbers) once. */
  robocaller?: boolean;
  /** Share of background calls whose caller ID is withheld (each gets a key of its own). */
  withheldShare?: number;
  /** All leaking channels sell to the same firm (one party), instead of one party each. */
  sharedParty?: boolean;
  /**
   * Channels worked in shifts (channel id → schedule). `channels` and `leaking` then name shifts
   * (`<channelId>~<shift>`, each its own channel for the decoder); a design over them is planted at
   * times its shifts are on duty (shift-design.ts) and read through the report's shift mapping.
   */
  shifts?: Map<string, ShiftSchedule>;
  /** The virtual clock's zero (epoch ms); WORLD_START when not given. Shift plans start at the real now. */
  start?: number;
  decoderOptions?: Partial<DecoderOptions>;
}

export interface WorldState {
  config: WorldConfig;
  rng: Rng;
  start: number;
  end: number;
  exposures: Exposure[];
  calls: DecoderCall[];
  canaries: number;
  tickets: number;
  parties: Map<string, string>;
  controlNumbers: string[];
  unmatchedNumbers: string[];
  numberOf: Map<string, string>;
  strayInnocentDone: boolean;
  nextCallId: number;
}

export function createWorld(config: WorldConfig): WorldState {
  const rng = createRng(config.seed);
  const start = config.start ?? WORLD_START;
  const end = start + config.days * DAY;
  const parties = new Map<string, string>();
  config.leaking.forEach((ch, i) => parties.set(ch, config.sharedParty ? '+15559000000' : `+1555900${String(i).padStart(4, '0')}`));
  const world: WorldState = {
    config, rng, start, end, exposures: [], calls: [], canaries: 0, tickets: 0, parties,
    controlNumbers: Array.from({ length: config.controls }, (_, i) => `+1555200${String(i).padStart(4, '0')}`),
    unmatchedNumbers: Array.from({ length: 20 }, (_, i) => `+1555300${String(i).padStart(4, '0')}`),
    numberOf: new Map(), strayInnocentDone: false, nextCallId: 0,
  };
  for (const n of world.controlNumbers) backgroundCalls(world, n, null, start);
  for (const party of new Set(parties.values())) {
    for (let i = 0; i < (config.strays?.unmatched ?? 0); i++) addCall(world, party, world.unmatchedNumbers[rng.int(20)]!, null, uniform(rng, start, end));
    for (let i = 0; i < (config.strays?.controls ?? 0) && config.controls > 0; i++) {
      addCall(world, party, world.controlNumbers[rng.int(config.controls)]!, null, uniform(rng, start, end));
    }
  }
  if (config.robocaller) {
    const sweep = uniform(rng, start, end - DAY);
    for (const n of [...world.controlNumbers, ...world.unmatchedNumbers]) addCall(world, '+15559999999', n, null, sweep + rng.next() * DAY);
  }
  return world;
}

/** Plants a design's canaries at `start` (epoch ms): exposures through flows, then every call they will get. */
export function plantDesign(world: WorldState, design: Design, start = world.start): void {
  const { config, rng } = world;
  const planted = config.shifts?.size ? timeForShifts(design, config.shifts, start) : design;
  for (const canary of planted.canaries) {
    // A re-exposed canary keeps its number and the background it already gets; only its new tickets are added.
    const reused = canary.canaryId !== undefined;
    if (reused && !world.numberOf.has(canary.canaryId!)) throw new RangeError(`no canary ${canary.canaryId} to re-expose`);
    const canaryId = reused ? canary.canaryId! : `c${String(world.canaries++).padStart(4, '0')}`;
    const number = reused ? world.numberOf.get(canaryId)! : `+1555100${String(world.canaries).padStart(4, '0')}`;
    world.numberOf.set(canaryId, number);
    const flowed = exposuresThroughFlows(canary.plantings.map((p) => ({ channelId: p.channelId, from: start + p.offsetMinutes * MINUTE })), config.flows ?? []);
    const seen = withShifts([...flowed].map(([channelId, from]) => ({ canaryId, channelId, from })), config.shifts ?? new Map());
    world.tickets += canary.plantings.length;
    for (const e of seen) world.exposures.push(e);
    if (!reused) backgroundCalls(world, number, canaryId, start);
    for (const { channelId, from } of seen) {
      const party = world.parties.get(channelId);
      if (!party || !rng.bernoulli(config.q)) continue;
      const at = from + latencyMinutes(rng, config.latency ?? DEFAULT_LATENCY, from) * MINUTE;
      if (at < world.end) addCall(world, party, number, canaryId, at);
    }
    if (config.robocaller && !reused) addCall(world, '+15559999999', number, canaryId, uniform(rng, start, world.end));
  }
  if (!world.strayInnocentDone && (config.strays?.innocentCanaries ?? 0) > 0) strayOnInnocents(world);
}

/** The facts as the decoder would read them at `now`: exposures begun and calls received by then. */
export function observe(world: WorldState, now = world.end) {
  const { config } = world;
  const calls = world.calls.filter((c) => c.at <= now).sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : 1));
  // Background measured on controls, as the report does, with one pseudo-call at the assumed rate
  // so that a world with few control-days does not read as silent.
  const controlSet = new Set(world.controlNumbers);
  const controlCalls = calls.filter((c) => controlSet.has(c.number)).length;
  const controlDays = (config.controls * (now - world.start)) / DAY;
  const background = config.controls > 0 ? (controlCalls + 1) / (controlDays + 1 / config.backgroundPerNumberDay) : config.backgroundPerNumberDay;
  return {
    channels: config.channels,
    exposures: world.exposures.filter((e) => e.from <= now),
    calls,
    backgroundPerNumberDay: background,
    now,
    options: config.decoderOptions,
  };
}

export interface WorldMetrics {
  /** The channels given the verdict `leaking` are exactly the leaking set. */
  exact: boolean;
  /** Innocent channels given the verdict `leaking`. */
  innocentsAccused: number;
  /** The decoder's most likely set equals the leaking set. */
  mapExact: boolean;
  numbers: number;
  tickets: number;
}

export function worldMetrics(world: WorldState, result: DecoderResult): WorldMetrics {
  const truth = new Set(world.config.leaking);
  const named = result.channels.filter((c) => c.verdict === 'leaking').map((c) => c.channelId);
  const innocentsAccused = named.filter((c) => !truth.has(c)).length;
  const sameSet = (xs: string[]) => xs.length === truth.size && xs.every((c) => truth.has(c));
  return { exact: sameSet(named), innocentsAccused, mapExact: sameSet(result.leakingSet), numbers: world.canaries, tickets: world.tickets };
}

export interface SimulationRun {
  result: DecoderResult;
  truth: string[];
  metrics: WorldMetrics;
  world: WorldState;
}

/** One world, one non-adaptive design, decoded at the end of its days. */
export function simulate(config: WorldConfig, design: Design): SimulationRun {
  const world = createWorld(config);
  plantDesign(world, design);
  const result = decode(observe(world));
  return { result, truth: [...config.leaking], metrics: worldMetrics(world, result), world };
}

function exposuresThroughFlows(direct: Array<{ channelId: string; from: number }>, flows: Flow[]): Map<string, number> {
  const seen = new Map<string, number>();
  const queue = [...direct];
  while (queue.length > 0) {
    const e = queue.shift()!;
    if ((seen.get(e.channelId) ?? Infinity) <= e.from) continue;
    seen.set(e.channelId, e.from);
    for (const f of flows) if (f.from === e.channelId) queue.push({ channelId: f.to, from: e.from + f.delayMinutes * MINUTE });
  }
  return seen;
}

function backgroundCalls(world: WorldState, number: string, canaryId: string | null, since: number): void {
  const { rng, config } = world;
  const n = rng.poisson((config.backgroundPerNumberDay * (world.end - since)) / DAY);
  for (let i = 0; i < n; i++) {
    const id = world.nextCallId;
    const caller = rng.bernoulli(config.withheldShare ?? 0) ? `withheld:${id}` : `+1${String(2_000_000_000 + rng.int(7_000_000_000))}`;
    addCall(world, caller, number, canaryId, uniform(rng, since, world.end));
  }
}

function strayOnInnocents(world: WorldState): void {
  const truth = new Set(world.config.leaking);
  const byCanary = new Map<string, Exposure[]>();
  for (const e of world.exposures) byCanary.set(e.canaryId, [...(byCanary.get(e.canaryId) ?? []), e]);
  const innocent = [...byCanary.entries()].filter(([, es]) => es.every((e) => !truth.has(e.channelId)));
  if (innocent.length === 0) return;
  world.strayInnocentDone = true;
  for (const party of new Set(world.parties.values())) {
    for (let i = 0; i < world.config.strays!.innocentCanaries!; i++) {
      const [canaryId, es] = innocent[world.rng.int(innocent.length)]!;
      const from = Math.min(...es.map((e) => e.from));
      addCall(world, party, world.numberOf.get(canaryId)!, canaryId, uniform(world.rng, from, world.end));
    }
  }
}

function latencyMinutes(rng: Rng, latency: LatencyTruth, from: number): number {
  if (latency.kind === 'lognormal') return latency.medianMinutes * Math.exp(latency.sigma * rng.normal());
  const startOfDay = Math.floor(from / DAY) * DAY;
  let batch = startOfDay + latency.hourOfDay * 60 * MINUTE;
  if (batch <= from) batch += DAY;
  return (batch - from) / MINUTE + rng.next() * latency.spreadMinutes;
}

function uniform(rng: Rng, from: number, to: number): number {
  return Math.floor(from + rng.next() * (to - from));
}

function addCall(world: WorldState, caller: string, number: string, canaryId: string | null, at: number): void {
  world.calls.push({ id: `call-${world.nextCallId++}`, caller, number, canaryId, at: Math.floor(at) });
}
