import { describe, expect, it } from 'vitest';
import { exposureInformation, proposeRound, slotsPerCanary } from '../../src/attribution/adaptive.ts';
import { binaryDecode, binaryTestCapacity, countingBound, hypothesisBits } from '../../src/attribution/baseline.ts';
import { dedicatedDesign, designColumns, designTickets, identifiability, planDesigns, splitDesign } from '../../src/attribution/designs.ts';
import { isDisjunct, isSeparable } from '../../src/attribution/identifiability.ts';
import type { ChannelPosterior } from '../../src/attribution/model.ts';

const channels = (n: number) => Array.from({ length: n }, (_, i) => `ch${i}`);

describe('campaign designs', () => {
  it('when a split design is built for d leakers, then an exhaustive check proves it d-disjunct and d-separable', () => {
    for (const [n, numbers, weight, d] of [[16, 8, 3, 1], [12, 15, 3, 2], [20, 20, 5, 2], [10, 20, 4, 3]] as const) {
      const chs = channels(n);
      const design = splitDesign(chs, { numbers, weight, maxLeakers: d, seed: 3 });
      expect(design.identifiability!.disjunct).toBe(d);
      const checked = identifiability(design, chs, d);
      expect(checked).toEqual({ disjunct: d, separable: d, method: 'exhaustive' });
      expect(designColumns(design, chs).every((col) => col.length === weight)).toBe(true);
    }
  });

  it('when channels can be covered by others or share a union, then the exhaustive checks say so', () => {
    // Column 0 = {0,1} is covered by {1,2} ∪ {0,2}; {0,1} ∪ {1,2} = {0,1} ∪ {0,2}.
    const cols = [[0, 1], [1, 2], [0, 2]];
    expect(isDisjunct(cols, 3, 1)).toBe(true);
    expect(isDisjunct(cols, 3, 2)).toBe(false);
    expect(isSeparable(cols, 3, 1)).toBe(true);
    expect(isSeparable(cols, 3, 2)).toBe(false);
    // Separable but not disjunct: {0} ⊂ {0,1}, yet all unions of one column differ.
    expect(isSeparable([[0], [0, 1]], 2, 1)).toBe(true);
    expect(isDisjunct([[0], [0, 1]], 2, 1)).toBe(false);
  });

  it('when the bound cannot promise d, then the design claims only what the exhaustive check confirms or less', () => {
    const chs = channels(24);
    const design = splitDesign(chs, { numbers: 8, weight: 3, maxLeakers: 2, seed: 5 });
    const checked = identifiability(design, chs, 2);
    expect(design.identifiability!.disjunct).toBeLessThanOrEqual(checked.disjunct);
    expect(checked.disjunct).toBeLessThan(2);
  });

  it('when a dedicated design is asked for k per channel, then each canary is planted into one channel and tickets equal numbers', () => {
    const design = dedicatedDesign(channels(5), 3);
    expect(design.canaries).toHaveLength(15);
    expect(design.canaries.every((c) => c.plantings.length === 1)).toBe(true);
    expect(designTickets(design)).toBe(15);
  });

  it('when a design is staggered, then each canary reaches its channels staggerMinutes apart, on the same matrix as the split design', () => {
    const chs = channels(16);
    const split = splitDesign(chs, { numbers: 8, weight: 2, maxLeakers: 1, seed: 9 });
    const staggered = splitDesign(chs, { numbers: 8, weight: 2, maxLeakers: 1, seed: 9, staggerMinutes: 360 });
    expect(staggered.name).toBe('staggered');
    expect(designColumns(staggered, chs)).toEqual(designColumns(split, chs));
    for (const c of staggered.canaries) expect(c.plantings.map((p) => p.offsetMinutes)).toEqual(c.plantings.map((_, i) => i * 360));
    expect(designTickets(staggered)).toBe(32);
  });

  it('when the same seed is given, then the same design comes out; another seed gives another', () => {
    const a = splitDesign(channels(30), { numbers: 12, weight: 3, maxLeakers: 1, seed: 1, staggerMinutes: 60 });
    expect(splitDesign(channels(30), { numbers: 12, weight: 3, maxLeakers: 1, seed: 1, staggerMinutes: 60 })).toEqual(a);
    expect(splitDesign(channels(30), { numbers: 12, weight: 3, maxLeakers: 1, seed: 2, staggerMinutes: 60 })).not.toEqual(a);
  });
});

describe('adaptive rounds', () => {
  const posterior = (channelId: string, probability: number, verdict: ChannelPosterior['verdict'] = 'undetermined'): ChannelPosterior => ({
    channelId, probability, verdict, exposedCanaries: 1, calledCanaries: 0, party: null, evidenceCallIds: [], latenciesMinutes: [], reasons: [],
  });
  const opts = { maxLeakers: 1, budget: 20, q: 0.7, staggerMinutes: 180, roundDays: 3 };

  it('when one exposure is weighed, then certainty is worth nothing and more exposures are worth more', () => {
    expect(exposureInformation(0, 3, 0.7, 0.02)).toBeCloseTo(0, 12);
    expect(exposureInformation(1, 3, 0.7, 0.02)).toBeCloseTo(0, 12);
    expect(exposureInformation(0.5, 2, 0.7, 0.02)).toBeGreaterThan(exposureInformation(0.5, 1, 0.7, 0.02));
    expect(exposureInformation(0.5, 1, 0.7, 0.02)).toBeGreaterThan(exposureInformation(0.05, 1, 0.7, 0.02));
  });

  it('when one channel is the likely leaker, then the next round gives it the most canaries and none to a channel already named', () => {
    const ps = [posterior('hot', 0.6), posterior('named', 0.99, 'leaking'), ...channels(20).map((c) => posterior(c, 0.02))];
    const round = proposeRound(ps, 10, { ...opts, maxLeakers: 2 })!;
    const count = (id: string) => round.canaries.filter((c) => c.plantings.some((p) => p.channelId === id)).length;
    expect(count('named')).toBe(0);
    expect(count('hot')).toBeGreaterThanOrEqual(2);
    for (const c of channels(20)) expect(count(c)).toBeLessThanOrEqual(count('hot'));
    for (const c of round.canaries) expect(c.plantings.length).toBeLessThanOrEqual(slotsPerCanary(opts));
  });

  it('when the leakers asked for are named or the budget is spent, then no round is proposed', () => {
    expect(proposeRound([posterior('a', 0.99, 'leaking'), posterior('b', 0.3)], 10, opts)).toBeNull();
    expect(proposeRound([posterior('a', 0.3), posterior('b', 0.3)], 0, opts)).toBeNull();
  });
});

describe('binary baseline', () => {
  it('when every canary of one channel is called and few others are, then maximum likelihood names that channel', () => {
    const design = dedicatedDesign(['a', 'b', 'c'], 3);
    const exposures = design.canaries.map((c, i) => ({ canaryId: `k${i}`, channelId: c.plantings[0]!.channelId, from: 0 }));
    const calls = ['k3', 'k4', 'k5', 'k0'].map((canaryId, i) => ({ id: `x${i}`, caller: `+1${i}`, number: canaryId, canaryId, at: 10 }));
    expect(binaryDecode(['a', 'b', 'c'], exposures, calls, { q: 0.9, backgroundPerNumberDay: 0.01, days: 14, maxLeakers: 2 })).toEqual(['b']);
  });

  it('when tests are noiseless, then the counting bound is log2 of the hypotheses', () => {
    expect(binaryTestCapacity(0, 1)).toBeCloseTo(1, 5);
    expect(hypothesisBits(64, 1)).toBeCloseTo(Math.log2(65), 10);
    expect(countingBound(64, { q: 1, backgroundPerNumberDay: 0, days: 14, maxLeakers: 1 })).toBeCloseTo(Math.log2(65), 4);
    expect(countingBound(64, { q: 0.7, backgroundPerNumberDay: 0.12, days: 14, maxLeakers: 1 })).toBeGreaterThan(26);
  });
});

describe('planning by simulation', () => {
  it('when a plan is asked for, then every design comes with its numbers, tickets and simulated accuracy, the same for the same seed', () => {
    const input = { channels: channels(8), maxLeakers: 1, budget: 8, q: 0.9, worlds: 6, seed: 4 };
    const plan = planDesigns(input);
    expect(plan.designs.map((d) => d.design)).toEqual(['dedicated', 'split', 'staggered', 'adaptive']);
    for (const d of plan.designs) {
      expect(d.worlds).toBe(6);
      expect(d.numbers).toBeGreaterThan(0);
      expect(d.tickets).toBeGreaterThanOrEqual(d.numbers);
      expect(d.pExact).toBeGreaterThanOrEqual(0);
      expect(d.pExact + d.pInnocentAccused).toBeLessThanOrEqual(1);
    }
    expect(plan.designs.find((d) => d.design === 'dedicated')!.numbers).toBe(8);
    expect(planDesigns(input)).toEqual(plan);
  });
});
