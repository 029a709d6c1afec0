// The adaptive design: plant a round, decode, and propose the next round from the posterior.
// Each round gives every channel still in doubt one or more exposures on canaries shared with
// others, staggered in time so the first call says which exposure leaked. Exposures go, one at a
// time, to the channel whose verdict they would inform most: the expected information gain of m
// exposures of channel i, I(leaks_i; calls_i), with calls_i ~ Bin(m, q) if i leaks and Bin(m, ε)
// if not (ε: a call the decoder would wrongly put on i). The round stops growing when the next
// exposure is worth less than `minGainBits`.
import type { Design, DesignCanary } from './designs.ts';
import type { ChannelPosterior, DecoderResult } from './model.ts';
import { createWorld, DAY, MINUTE, observe, plantDesign, worldMetrics, type SimulationRun, type WorldConfig } from './simulator.ts';
import { decode } from './decoder.ts';

export interface AdaptiveOptions {
  maxLeakers: number;
  /** Most canary numbers the whole campaign may use. */
  budget: number;
  /** Call-back probability assumed when weighing a round. */
  q: number;
  staggerMinutes: number;
  /** Length of a round: plant, wait, decode. */
  roundDays: number;
  /** A wrong attribution to a channel from one exposure (background, mistimed calls). */
  falseCallRate?: number;
  minGainBits?: number;
}

/** Bits: I(X; K) for X ~ Bern(p), K | X=1 ~ Bin(m, q), K | X=0 ~ Bin(m, ε). */
export function exposureInformation(p: number, m: number, q: number, eps: number): number {
  let info = 0;
  for (let k = 0; k <= m; k++) {
    const a = binom(m, k, q);
    const b = binom(m, k, eps);
    const mix = p * a + (1 - p) * b;
    if (a > 0) info += p * a * Math.log2(a / mix);
    if (b > 0) info += (1 - p) * b * Math.log2(b / mix);
  }
  return info;
}

function binom(m: number, k: number, p: number): number {
  let c = 1;
  for (let i = 0; i < k; i++) c = (c * (m - i)) / (i + 1);
  return c * p ** k * (1 - p) ** (m - k);
}

/** Channels a round can stagger on one canary: the slots that fit with a day left to call back. */
export function slotsPerCanary(opts: AdaptiveOptions): number {
  return Math.max(1, Math.floor(((opts.roundDays - 1) * DAY) / (opts.staggerMinutes * MINUTE)) + 1);
}

/**
 * The next round's plantings, or null when no exposure is worth `minGainBits` or the budget is
 * spent. Channels already `leaking` need no more canaries; once maxLeakers are named the question
 * is answered.
 */
export function proposeRound(posteriors: ChannelPosterior[], numbersLeft: number, opts: AdaptiveOptions): Design | null {
  const eps = opts.falseCallRate ?? 0.02;
  const minGain = opts.minGainBits ?? 0.01;
  const named = posteriors.filter((c) => c.verdict === 'leaking').length;
  if (numbersLeft < 1 || named >= opts.maxLeakers) return null;
  const open = posteriors.filter((c) => c.verdict !== 'leaking');
  const cap = slotsPerCanary(opts);
  const maxNumbers = Math.min(numbersLeft, Math.max(1, Math.ceil(open.length / cap) + opts.maxLeakers));
  const m = new Map<string, number>();
  const gain = (c: ChannelPosterior) => {
    const k = m.get(c.channelId) ?? 0;
    return exposureInformation(c.probability, k + 1, opts.q, eps) - exposureInformation(c.probability, k, opts.q, eps);
  };
  let exposures = 0;
  while (exposures < maxNumbers * cap) {
    let best: ChannelPosterior | null = null;
    let bestGain = minGain;
    for (const c of open) {
      if ((m.get(c.channelId) ?? 0) >= maxNumbers) continue;
      const g = gain(c);
      if (g > bestGain) [best, bestGain] = [c, g];
    }
    if (!best) break;
    m.set(best.channelId, (m.get(best.channelId) ?? 0) + 1);
    exposures++;
  }
  if (exposures === 0) return null;
  const numbers = Math.min(maxNumbers, Math.max(Math.ceil(exposures / cap), ...m.values()));
  return { name: 'adaptive', canaries: pack(m, posteriors, numbers, opts.staggerMinutes), maxLeakers: opts.maxLeakers, params: { numbers, staggerMinutes: opts.staggerMinutes } };
}

/** Most likely channels first, each on distinct canaries, dealt round-robin; slots in dealing order. */
function pack(m: Map<string, number>, posteriors: ChannelPosterior[], numbers: number, stagger: number): DesignCanary[] {
  const order = posteriors.filter((c) => m.has(c.channelId)).sort((a, b) => b.probability - a.probability);
  const canaries: DesignCanary[] = Array.from({ length: numbers }, () => ({ plantings: [] }));
  let next = 0;
  for (const c of order) {
    for (let i = 0; i < m.get(c.channelId)!; i++) {
      const canary = canaries[next++ % numbers]!;
      canary.plantings.push({ channelId: c.channelId, offsetMinutes: canary.plantings.length * stagger });
    }
  }
  return canaries.filter((c) => c.plantings.length > 0);
}

export interface AdaptiveRun extends SimulationRun {
  rounds: number;
}

/** Runs rounds in one world until the question is answered, the budget is spent or the days run out. */
export function runAdaptive(config: WorldConfig, opts: AdaptiveOptions): AdaptiveRun {
  const world = createWorld(config);
  const prior = config.decoderOptions?.prior ?? 0.05;
  let posteriors: ChannelPosterior[] = config.channels.map((channelId) => ({
    channelId, probability: prior, verdict: 'no-data', exposedCanaries: 0, calledCanaries: 0, party: null, evidenceCallIds: [], latenciesMinutes: [], reasons: [],
  }));
  let result: DecoderResult | null = null;
  let rounds = 0;
  let now = world.start;
  while (now + opts.roundDays * DAY <= world.end) {
    const round = proposeRound(posteriors, opts.budget - world.canaries, opts);
    if (!round) break;
    plantDesign(world, round, now);
    now += opts.roundDays * DAY;
    rounds++;
    result = decode(observe(world, now));
    posteriors = result.channels;
  }
  // The campaign watches its numbers to the end of its days, not only to the end of its last round.
  if (now < world.end || !result) result = decode(observe(world, world.end));
  return { result, truth: [...config.leaking], metrics: worldMetrics(world, result), world, rounds };
}
