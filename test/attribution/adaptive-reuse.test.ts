import { describe, expect, it } from 'vitest';
import { atMostLeakers, exposureInformation, minGainBits, proposeRound, reusableCanaries, runAdaptive, slotsPerCanary } from '../../src/attribution/adaptive.ts';
import type { ChannelPosterior } from '../../src/attribution/model.ts';
import { createRng, sample } from '../../src/attribution/prng.ts';
import { createWorld, DAY, plantDesign } from '../../src/attribution/simulator.ts';

const channels = (n: number) => Array.from({ length: n }, (_, i) => `ch${i}`);
const posterior = (channelId: string, probability: number, verdict: ChannelPosterior['verdict'] = 'undetermined'): ChannelPosterior => ({
  channelId, probability, verdict, exposedCanaries: 1, calledCanaries: 0, party: null, evidenceCallIds: [], latenciesMinutes: [], reasons: [],
});
const opts = { maxLeakers: 1, budget: 20, q: 0.7, staggerMinutes: 180, roundDays: 3 };

describe('adaptive rounds reuse quiet canaries', () => {
  it('when one channel of a canary is in doubt, is named, or is not one the campaign weighs, then the canary is not reusable', () => {
    const ps = [posterior('a', 0.01), posterior('b', 0.02), posterior('hot', 0.3), posterior('named', 0.97, 'leaking'), posterior('faint-named', 0.05, 'leaking')];
    const exposures = [
      { canaryId: 'k1', channelId: 'a' }, { canaryId: 'k1', channelId: 'b' },
      { canaryId: 'k2', channelId: 'a' }, { canaryId: 'k2', channelId: 'hot' },
      { canaryId: 'k3', channelId: 'b' }, { canaryId: 'k3', channelId: 'named' },
      { canaryId: 'k4', channelId: 'b' }, { canaryId: 'k4', channelId: 'faint-named' },
      { canaryId: 'k5', channelId: 'a' }, { canaryId: 'k5', channelId: 'stranger' },
    ];
    expect(reusableCanaries(exposures, ps, 0.1)).toEqual([{ canaryId: 'k1', channels: ['a', 'b'] }]);
    // The level is a bound: the same canaries at a level below every posterior are none.
    expect(reusableCanaries(exposures, ps, 0.005)).toEqual([]);
  });

  it('when quiet canaries are offered, then the round fills them before taking a new number and never gives a channel a second ticket on one', () => {
    const chs = channels(30);
    const ps = chs.map((c, i) => posterior(c, i < 2 ? 0.2 : 0.02));
    // Two quiet canaries: one held by the first twenty channels, one by the last ten.
    const reusable = [{ canaryId: 'old1', channels: chs.slice(0, 20) }, { canaryId: 'old2', channels: chs.slice(20) }];
    const round = proposeRound(ps, 10, opts, { reusable })!;
    const cap = slotsPerCanary(opts);
    const onOld = (id: string) => round.canaries.find((k) => k.canaryId === id)?.plantings ?? [];
    for (const r of reusable) for (const p of onOld(r.canaryId)) expect(r.channels).not.toContain(p.channelId);
    const fresh = round.canaries.filter((k) => k.canaryId === undefined);
    // A channel on a new canary could not have gone on an old one: each old one it does not hold is full or already its.
    for (const k of fresh) {
      for (const p of k.plantings) {
        for (const r of reusable) {
          if (r.channels.includes(p.channelId)) continue;
          const there = onOld(r.canaryId);
          expect(there.length === cap || there.some((x) => x.channelId === p.channelId)).toBe(true);
        }
      }
    }
    expect(round.params.numbers).toBe(fresh.length);
    expect(round.params.reused).toBe(round.canaries.length - fresh.length);
    for (const k of round.canaries) {
      expect(new Set(k.plantings.map((p) => p.channelId)).size).toBe(k.plantings.length);
      k.plantings.forEach((p, i) => expect(p.offsetMinutes).toBe(i * opts.staggerMinutes));
    }
  });

  it('when no number is left but quiet canaries are, then a round is still proposed on them alone; and it plants no more tickets than are left', () => {
    const chs = channels(12);
    const ps = chs.map((c) => posterior(c, 0.03));
    const reusable = [{ canaryId: 'old', channels: ['ch0'] }];
    const round = proposeRound(ps, 0, opts, { reusable })!;
    expect(round.canaries.every((k) => k.canaryId === 'old')).toBe(true);
    const few = proposeRound(ps, 10, opts, { reusable, ticketsLeft: 5 })!;
    expect(few.canaries.reduce((n, k) => n + k.plantings.length, 0)).toBeLessThanOrEqual(5);
    expect(proposeRound(ps, 10, opts, { reusable, ticketsLeft: 0 })).toBeNull();
  });

  it('when faint suspicions over many channels sum to more leakers than asked for, then they are weighed down alike and the order stays', () => {
    const ps = [posterior('top', 0.7), ...channels(40).map((c, i) => posterior(c, 0.02 + i * 0.001))];
    const w = atMostLeakers(ps, 1);
    const sum = [...w.values()].reduce((a, b) => a + b, 0);
    expect(sum).toBeCloseTo(1, 6);
    const order = (m: Map<string, number>) => [...m.entries()].sort((a, b) => b[1] - a[1]).map(([k]) => k);
    expect(order(w)).toEqual(order(new Map(ps.map((c) => [c.channelId, c.probability]))));
    expect(w.get('ch0')! / 0.02).toBeLessThan(w.get('top')! / 0.7);
    // Already within the question: untouched.
    const calm = [posterior('a', 0.3), posterior('b', 0.2)];
    expect(atMostLeakers(calm, 1)).toEqual(new Map([['a', 0.3], ['b', 0.2]]));
  });

  it('when channels are many, then each never exposed still gets its first exposure, and one at the even share stays worth a ticket', () => {
    const chs = channels(256);
    const flat = chs.map((c) => ({ ...posterior(c, 0.05), exposedCanaries: 0 }));
    // Weighed as one leaker among 256, a first exposure is worth less than the level N = 64 uses.
    expect(exposureInformation(1 / 256, 1, 0.7, 0.02)).toBeLessThan(minGainBits(64, 1));
    const round = proposeRound(flat, 21, { ...opts, staggerMinutes: 45, roundDays: 2 })!;
    const got = new Set(round.canaries.flatMap((k) => k.plantings.map((p) => p.channelId)));
    expect(got.size).toBe(256);
    // Exposed once and quiet, everyone at the even share: the next round still asks them.
    const quiet = chs.map((c) => posterior(c, 0.016));
    expect(exposureInformation(1 / 256, 1, 0.7, 0.02)).toBeGreaterThan(minGainBits(256, 1));
    expect(proposeRound(quiet, 10, { ...opts, staggerMinutes: 45, roundDays: 2 })).not.toBeNull();
  });

  it('when the simulator re-exposes a canary, then it gets the new tickets and the leak calls they draw, but no second background and no new number', () => {
    const world = createWorld({ channels: ['a', 'b', 'c'], leaking: ['c'], q: 1, backgroundPerNumberDay: 2, days: 14, controls: 2, seed: 5 });
    plantDesign(world, { name: 'adaptive', maxLeakers: 1, params: {}, canaries: [{ plantings: [{ channelId: 'a', offsetMinutes: 0 }, { channelId: 'b', offsetMinutes: 60 }] }] });
    const [canaryId] = [...world.numberOf.keys()];
    const callsBefore = world.calls.filter((c) => c.canaryId === canaryId).length;
    const later = world.start + 3 * DAY;
    plantDesign(world, { name: 'adaptive', maxLeakers: 1, params: {}, canaries: [{ canaryId, plantings: [{ channelId: 'c', offsetMinutes: 0 }] }] }, later);
    expect(world.canaries).toBe(1);
    expect(world.tickets).toBe(3);
    expect(world.exposures.filter((e) => e.canaryId === canaryId).map((e) => [e.channelId, e.from])).toEqual([['a', world.start], ['b', world.start + 60 * 60_000], ['c', later]]);
    const after = world.calls.filter((c) => c.canaryId === canaryId);
    // q = 1: the leak party of c calls once, after c's exposure; nothing else is added.
    expect(after.length).toBe(callsBefore + 1);
    expect(after.find((c) => c.caller === world.parties.get('c'))!.at).toBeGreaterThan(later);
    expect(() => plantDesign(world, { name: 'adaptive', maxLeakers: 1, params: {}, canaries: [{ canaryId: 'c9999', plantings: [{ channelId: 'a', offsetMinutes: 0 }] }] })).toThrow(RangeError);
  });

  it('when strays, a robocaller, withheld callers and a leak firm ringing an innocent canary work against campaigns that reuse canaries, then innocents are still not accused', () => {
    const chs = channels(32);
    const rng = createRng(77);
    let accused = 0;
    let reusedTickets = 0;
    const worlds = 40;
    for (let w = 0; w < worlds; w++) {
      const leaking = sample(rng, chs.length, 1).map((i) => chs[i]!);
      const run = runAdaptive(
        { channels: chs, leaking, q: 0.7, backgroundPerNumberDay: 0.3, days: 14, controls: 8, seed: rng.int(2 ** 31), decoderOptions: { maxLeakers: 1 },
          strays: { unmatched: 2, controls: 1, innocentCanaries: 1 }, robocaller: true, withheldShare: 0.2 },
        { maxLeakers: 1, budget: 10, q: 0.7, roundDays: 2, staggerMinutes: 120 },
      );
      accused += run.metrics.innocentsAccused > 0 ? 1 : 0;
      // Tickets on a canary after its first round: the reuse the test is about.
      const first = new Map<string, number>();
      for (const e of run.world.exposures) first.set(e.canaryId, Math.min(first.get(e.canaryId) ?? Infinity, e.from));
      reusedTickets += run.world.exposures.filter((e) => e.from > first.get(e.canaryId)! + DAY).length;
    }
    expect(reusedTickets).toBeGreaterThan(0);
    expect(accused).toBeLessThanOrEqual(1);
  });
});
