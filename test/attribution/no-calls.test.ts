// A store with canaries planted and not one call yet (a campaign's first minutes): every channel's
// posterior must be a number — it is the report's `probability` and the adaptive design's input.
import { describe, expect, it } from 'vitest';
import { decode } from '../../src/attribution/decoder.ts';
import { dedicatedDesign } from '../../src/attribution/designs.ts';
import { createWorld, observe, plantDesign } from '../../src/attribution/simulator.ts';

describe('a decode with no calls', () => {
  it('when canaries are exposed and nobody has called any number yet, then every channel has a finite probability and no channel is leaking', () => {
    const channels = ['a', 'b', 'c'];
    const world = createWorld({ channels, leaking: ['a'], q: 0.7, backgroundPerNumberDay: 0.12, days: 14, controls: 2, seed: 4 });
    plantDesign(world, dedicatedDesign(channels, 2));
    const input = observe(world, world.start + 60_000);
    expect(input.calls).toHaveLength(0);
    const result = decode(input);
    for (const c of result.channels) {
      expect(Number.isFinite(c.probability)).toBe(true);
      expect(c.verdict).not.toBe('leaking');
    }
  });

  it('when one channel has calls and another none, then the quiet one still has a finite probability', () => {
    const channels = ['a', 'b'];
    const world = createWorld({ channels, leaking: ['a'], q: 0.9, backgroundPerNumberDay: 0, days: 14, controls: 1, seed: 8 });
    plantDesign(world, dedicatedDesign(channels, 3));
    const result = decode(observe(world));
    for (const c of result.channels) expect(Number.isFinite(c.probability)).toBe(true);
  });
});
