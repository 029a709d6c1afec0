import { afterEach, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../support/app.ts';
import { nationalPrefix, NumberSpread } from '../../src/numbers/spread.ts';
import { parseNumberRanges } from '../../src/config.ts';

let app: TestApp | undefined;
afterEach(async () => {
  await app?.dispose();
  app = undefined;
});

describe('canary numbers spread like the target\'s customers', () => {
  it('when a target\'s customers carry several operators, then canaries take numbers in the same proportions', async () => {
    app = buildTestApp({ customers: 10 });
    app.services.pool.spread.setGoal('SA', { 50: 0.5, 55: 0.3, 59: 0.2 });
    const channel = app.services.channels.create({ name: 'A', kind: 'call-centre-vendor', target: 'utility-sample', routing: { queue: 'CC-DAY' } });
    const canaries = await app.services.canaries.create({ channelIds: [channel.id], count: 40 });
    const numbers = app.services.numbers.list().filter((n) => n.status === 'assigned');
    expect(numbers).toHaveLength(canaries.length);
    const counts = new Map<string, number>();
    for (const n of numbers) counts.set(nationalPrefix(n.phoneNumber)!.prefix, (counts.get(nationalPrefix(n.phoneNumber)!.prefix) ?? 0) + 1);
    expect(Object.fromEntries(counts)).toEqual({ 50: 20, 55: 12, 59: 8 });
  });

  it('when the pool holds no number in a prefix the target uses, then it warns once and hands out another', () => {
    const warnings: string[] = [];
    const spread = new NumberSpread((m) => warnings.push(m));
    spread.setGoal('SA', { 51: 1 });
    const none = () => new Map<string, number>();
    expect(spread.order('SA', none)).toEqual(['51']);
    spread.assigned('SA', '+966593301234', '51', none);
    spread.assigned('SA', '+966593301235', '51', none);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/cannot match the target's spread: no ready SA number starting 51/);
  });

  it('when the safe preset is chosen, then only NANP 555-0100..0199 numbers are simulated', () => {
    const ranges = parseNumberRanges('safe');
    expect(ranges.length).toBeGreaterThan(3);
    expect(ranges.every((r) => r.country === 'US' && /^\+1\d{3}55501\d\d$/.test(r.from) && /^\+1\d{3}55501\d\d$/.test(r.to))).toBe(true);
    const spread = parseNumberRanges('spread').filter((r) => r.country === 'SA').map((r) => nationalPrefix(r.from)!.prefix);
    expect(spread.sort()).toEqual(['50', '53', '54', '55', '56', '57', '58', '59']);
  });
});
