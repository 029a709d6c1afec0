// The decoder weighs a caller two ways: channel by channel (channelEvidence, the screen and the single-
// channel posterior) and canary by canary (canaryFactor, used where channels share canaries in the
// joint enumeration). They are one model: for a caller x on channel c, its weight less its prior must
// be the sum over c's canaries of log canaryFactor with c's exposure leaking to x. A change to one
// formula that is not made to the other breaks this test.
import { describe, expect, it } from 'vitest';
import { canaryFactor, channelEvidence } from '../../src/attribution/decoder.ts';
import { dedicatedDesign, splitDesign } from '../../src/attribution/designs.ts';
import { indexFacts } from '../../src/attribution/facts-index.ts';
import { DEFAULT_DECODER_OPTIONS } from '../../src/attribution/model.ts';
import { createWorld, observe, plantDesign } from '../../src/attribution/simulator.ts';

const channels = Array.from({ length: 10 }, (_, i) => `ch${i}`);

describe('channel evidence and canary factors are one model', () => {
  for (const [name, design, strays] of [
    ['dedicated, a firm that strays', dedicatedDesign(channels, 3), { unmatched: 2, controls: 1, innocentCanaries: 2 }],
    ['split (shared canaries), a robocaller and withheld callers', splitDesign(channels, { numbers: 8, weight: 3, maxLeakers: 2, seed: 5 }), undefined],
  ] as const) {
    it(`when a world is decoded (${name}), then every kept caller's weight equals the sum of its canary factors`, () => {
      const world = createWorld({ channels, leaking: ['ch3', 'ch7'], q: 0.7, backgroundPerNumberDay: 0.7, days: 14, controls: 8, seed: 21,
        strays: strays ?? undefined, robocaller: !strays, withheldShare: strays ? 0 : 0.3 });
      plantDesign(world, design);
      const input = observe(world, world.end - 3 * 86_400_000);
      const idx = indexFacts(input.channels, input.exposures, input.calls);
      const o = DEFAULT_DECODER_OPTIONS;
      const q = 0.6;
      const r = input.backgroundPerNumberDay;
      let checked = 0;
      for (const c of channels) {
        const e = channelEvidence(idx, c, q, r, input.now, o);
        // Nobody seen: the product of each canary's factor with the exposure leaking to a party we never saw.
        const unseen = e.canaries.reduce((s, k) => s + Math.log(canaryFactor(idx, k.canaryId, [{ from: k.from, party: null }], q, r, input.now, o)), 0);
        expect(e.logUnseen).toBeCloseTo(unseen, 9);
        for (const x of e.callers) {
          const stats = idx.callerStats(x.caller)!;
          const prior = stats.noise * Math.log(o.strayFactor) - Math.log(idx.pairs);
          const sum = e.canaries.reduce((s, k) => s + Math.log(canaryFactor(idx, k.canaryId, [{ from: k.from, party: x.caller }], q, r, input.now, o)), 0);
          expect(x.logLr - prior).toBeCloseTo(sum, 9);
          checked++;
        }
      }
      expect(checked).toBeGreaterThan(20);
    });
  }
});
