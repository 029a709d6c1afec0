// How well would each design answer "which of these channels leak?" — by simulation, before
// anything is planted. Backs `tracer campaigns plan` and POST /api/v1/campaigns/plan, and the bench.
import { adaptiveRoundDays, runAdaptive } from './adaptive.ts';
import { binaryDecode } from './baseline.ts';
import { dedicatedDesign, splitDesign, type Design, type DesignName } from './designs.ts';
import type { DecoderOptions } from './model.ts';
import { createRng, sample } from './prng.ts';
import { simulate, type Flow, type LatencyTruth, type SimulationRun, type WorldConfig } from './simulator.ts';
import type { ShiftSchedule } from '../planting/shifts.ts';

/**
 * Worlds simulated per design when the caller does not say: about 3 s for all four designs at
 * N = 64, d = 1 on one core (d = 2 is ~10× slower: the decoder enumerates pairs of leakers).
 * 50 worlds put a 95 % design within about ±6 points.
 */
export const DEFAULT_PLAN_WORLDS = 50;

/** Canaries per channel in split and staggered designs: at q = 0.7, five give two or more calls from a leak party in 97 % of worlds. */
export const DEFAULT_WEIGHT = 5;

/**
 * Adaptive stagger: the first round covers every channel on about a third of the budget, its
 * canaries staggered as far apart as a round allows (45 min to 6 h). A third, not a quarter, since
 * later rounds re-expose the first round's quiet canaries: at N = 64 on 16 numbers, 13 channels a
 * canary instead of 16, so a call says better which exposure it followed (with three-day rounds,
 * 98.0 % exact instead of 96.5 % on the bench's 200 worlds, 9.7 numbers instead of 8.9).
 */
export function adaptiveStagger(channels: number, budget: number, roundDays: number): number {
  const firstRound = Math.max(1, Math.floor(budget / 3));
  const slots = Math.ceil(channels / firstRound);
  if (slots <= 1) return 360;
  return Math.max(45, Math.min(360, Math.floor(((roundDays - 1) * 1_440) / (slots - 1))));
}

export interface Scenario {
  channels: string[];
  flows?: Flow[];
  maxLeakers: number;
  q: number;
  backgroundPerNumberDay: number;
  days: number;
  controls: number;
  latency?: LatencyTruth;
  decoderOptions?: Partial<DecoderOptions>;
  /** Channels worked in shifts: `channels` then name their shifts, planted when on duty (simulator.ts). */
  shifts?: Map<string, ShiftSchedule>;
  /** When the campaign would start (epoch ms): shift windows are read from then. */
  start?: number;
}

export interface DesignSpec {
  design: DesignName;
  /** dedicated: canaries per channel. */
  k?: number;
  /** split, staggered: canaries used; adaptive: most canaries the campaign may use. */
  numbers?: number;
  /** split, staggered: canaries per channel. */
  weight?: number;
  staggerMinutes?: number;
  /** adaptive: days per round (default adaptiveRoundDays(maxLeakers)). */
  roundDays?: number;
}

export interface Evaluation {
  design: DesignName;
  spec: DesignSpec;
  worlds: number;
  /** Mean canary numbers used (fixed for non-adaptive designs). */
  numbers: number;
  /** Mean tickets planted (one per canary and channel it is planted into). */
  tickets: number;
  /** Most tickets planted in any one world (an adaptive campaign's vary). */
  maxTickets: number;
  /** Share of worlds in which the channels read `leaking` are exactly the leaking set. */
  pExact: number;
  /** Share of worlds in which at least one innocent channel reads `leaking`. */
  pInnocentAccused: number;
  /** Share of innocent channels read `leaking`, over all worlds. */
  innocentChannelRate: number;
  /** The same worlds decoded as plain binary group testing (baseline.ts), when asked. */
  binary?: { pExact: number; pInnocentAccused: number };
}

/** Stagger spacing that fits `slots` exposures per canary with two days left for the last to be called. */
export function fittingStagger(slots: number, days: number): number {
  if (slots <= 1) return 0;
  return Math.max(30, Math.min(1_440, Math.floor(((days - 2) * 1_440) / (slots - 1))));
}

/** The concrete design a spec asks for (not for adaptive, which is proposed round by round). */
export function buildDesign(spec: DesignSpec, s: Scenario, seed: number): Design {
  const n = s.channels.length;
  if (spec.design === 'dedicated') return dedicatedDesign(s.channels, spec.k ?? 1);
  const numbers = Math.min(spec.numbers ?? n, n * (spec.weight ?? 1));
  const weight = Math.min(spec.weight ?? 1, numbers);
  const slots = Math.ceil((n * weight) / numbers);
  const stagger = spec.design === 'staggered' ? (spec.staggerMinutes ?? fittingStagger(slots, s.days)) : 0;
  return splitDesign(s.channels, { numbers, weight, maxLeakers: s.maxLeakers, staggerMinutes: stagger, seed });
}

function worldConfig(s: Scenario, leaking: string[], seed: number): WorldConfig {
  return {
    channels: s.channels, flows: s.flows, leaking, q: s.q, latency: s.latency, backgroundPerNumberDay: s.backgroundPerNumberDay,
    days: s.days, controls: s.controls, seed, decoderOptions: { maxLeakers: s.maxLeakers, ...s.decoderOptions }, shifts: s.shifts, start: s.start,
  };
}

/** Simulates `worlds` worlds (exactly maxLeakers leakers, drawn at random) under one design spec. */
export function evaluate(spec: DesignSpec, s: Scenario, worlds: number, seed: number, opts: { binary?: boolean } = {}): Evaluation {
  const rng = createRng(seed);
  const design = spec.design === 'adaptive' ? null : buildDesign(spec, s, seed);
  const innocents = s.channels.length - s.maxLeakers;
  const sum = { exact: 0, accused: 0, innocent: 0, numbers: 0, tickets: 0, maxTickets: 0, bExact: 0, bAccused: 0 };
  for (let w = 0; w < worlds; w++) {
    const leaking = sample(rng, s.channels.length, s.maxLeakers).map((i) => s.channels[i]!);
    const config = worldConfig(s, leaking, rng.int(2 ** 31));
    const run: SimulationRun = design
      ? simulate(config, design)
      : runAdaptive(config, {
        maxLeakers: s.maxLeakers, budget: spec.numbers ?? s.channels.length, q: s.q, roundDays: spec.roundDays ?? adaptiveRoundDays(s.maxLeakers),
        staggerMinutes: spec.staggerMinutes ?? adaptiveStagger(s.channels.length, spec.numbers ?? s.channels.length, spec.roundDays ?? adaptiveRoundDays(s.maxLeakers)),
      });
    sum.exact += run.metrics.exact ? 1 : 0;
    sum.accused += run.metrics.innocentsAccused > 0 ? 1 : 0;
    sum.innocent += run.metrics.innocentsAccused;
    sum.numbers += run.metrics.numbers;
    sum.tickets += run.metrics.tickets;
    sum.maxTickets = Math.max(sum.maxTickets, run.metrics.tickets);
    if (opts.binary) {
      const named = binaryDecode(s.channels, run.world.exposures, run.world.calls, { q: s.q, backgroundPerNumberDay: s.backgroundPerNumberDay, days: s.days, maxLeakers: s.maxLeakers });
      const truth = new Set(leaking);
      sum.bExact += named.length === truth.size && named.every((c) => truth.has(c)) ? 1 : 0;
      sum.bAccused += named.some((c) => !truth.has(c)) ? 1 : 0;
    }
  }
  return {
    design: spec.design, spec, worlds, numbers: sum.numbers / worlds, tickets: sum.tickets / worlds, maxTickets: sum.maxTickets,
    pExact: sum.exact / worlds, pInnocentAccused: sum.accused / worlds, innocentChannelRate: innocents > 0 ? sum.innocent / (worlds * innocents) : 0,
    ...(opts.binary ? { binary: { pExact: sum.bExact / worlds, pInnocentAccused: sum.bAccused / worlds } } : {}),
  };
}

export interface PlanInput {
  channels: string[];
  flows?: Flow[];
  maxLeakers: number;
  /** Most canary numbers the campaign may use. */
  budget: number;
  q?: number;
  days?: number;
  /** Background calls per number-day. */
  background?: number;
  controls?: number;
  worlds?: number;
  seed?: number;
  shifts?: Map<string, ShiftSchedule>;
  start?: number;
}

/** The specs plan offers for a budget: the design families with parameters tuned by the bench. */
/** Canaries per channel in shared designs: five (what the bench supports at 16 numbers), fewer on small budgets so codewords stay apart. */
export const sharedWeight = (budget: number) => Math.max(1, Math.min(DEFAULT_WEIGHT, Math.floor(budget / 3)));

export function offeredSpecs(n: number, budget: number): DesignSpec[] {
  const weight = sharedWeight(budget);
  return [
    { design: 'dedicated', k: Math.max(1, Math.floor(budget / n)) },
    { design: 'split', numbers: budget, weight },
    { design: 'staggered', numbers: budget, weight },
    { design: 'adaptive', numbers: budget },
  ];
}

export function planDesigns(input: PlanInput): { worlds: number; scenario: Omit<Scenario, 'channels'>; designs: Evaluation[] } {
  const scenario: Scenario = {
    channels: input.channels, flows: input.flows, maxLeakers: input.maxLeakers, q: input.q ?? 0.7, backgroundPerNumberDay: input.background ?? 0.12,
    days: input.days ?? 14, controls: input.controls ?? 8, shifts: input.shifts, start: input.start,
  };
  const worlds = input.worlds ?? DEFAULT_PLAN_WORLDS;
  const designs = offeredSpecs(input.channels.length, input.budget).map((spec, i) => evaluate(spec, scenario, worlds, (input.seed ?? 1) * 7919 + i));
  const { channels: _c, ...rest } = scenario;
  return { worlds, scenario: rest, designs };
}
