// The rules every canary stream must keep, per locale: uniqueness, no tells, no sequences,
// varied wording, and determinism by seed.
import { beforeAll, describe, expect, it } from 'vitest';
import { createIdentityGenerator, sampleIdentities, type CanaryIdentity, type Locale, type PlantingVariant } from '../../src/identities/index.ts';
import { FIXED_NOW, allStrings, sharedCount, tellWords, tokenLike } from './support.ts';

describe.each(['ar-SA', 'en-US'] as const)('%s canary stream', (locale: Locale) => {
  let batch: CanaryIdentity[];
  let variants: PlantingVariant[][];

  beforeAll(() => {
    const generator = createIdentityGenerator({ locale, seed: 99, now: () => FIXED_NOW });
    batch = Array.from({ length: 1000 }, () => generator.next());
    variants = batch.slice(0, 100).map((c) => generator.variants(c, 4));
  });

  it('when 1,000 are generated, then no two share a national ID, account, premise, meter serial or name+address', () => {
    const ids = batch.map((c) => c.persona.nationalId).filter(Boolean);
    expect(new Set(ids).size).toBe(ids.length);
    for (const field of ['accountNumber', 'premiseId', 'meterSerial'] as const) {
      expect(new Set(batch.map((c) => c.persona[field])).size, field).toBe(1000);
    }
    const nameAddress = batch.map((c) => `${c.persona.fullName}|${JSON.stringify(c.persona.address)}`);
    expect(new Set(nameAddress).size).toBe(1000);
    expect(new Set(batch.map((c) => c.persona.phone.e164)).size).toBe(1000);
  });

  it('when 1,000 are generated, then at most 1% share an identical description', () => {
    expect(sharedCount(batch.map((c) => c.ticket.description))).toBeLessThanOrEqual(10);
  });

  it('then no field of any canary or variant holds a tell word, in English or Arabic', () => {
    const found = [...batch, ...variants].flatMap((x) => allStrings(x).flatMap(tellWords));
    expect(found).toEqual([]);
  });

  it('then no field holds a random-looking token', () => {
    const found = [...batch, ...variants].flatMap((x) => allStrings(x).flatMap(tokenLike));
    expect(found).toEqual([]);
  });

  it('then successive canaries never carry neighbouring or steadily rising ids', () => {
    const fields = ['accountNumber', 'premiseId', 'meterSerial', ...(locale === 'ar-SA' ? ['nationalId' as const] : [])] as const;
    for (const field of fields) {
      const numbers = batch.map((c) => Number(String(c.persona[field]).replace(/\D/g, '')));
      const steps = numbers.slice(1).map((n, i) => n - numbers[i]!);
      expect(steps.filter((d) => Math.abs(d) <= 100), field).toEqual([]);
      const rising = steps.filter((d) => d > 0).length / steps.length;
      expect(rising, field).toBeGreaterThan(0.4);
      expect(rising, field).toBeLessThan(0.6);
    }
  });

  it('when the same seed is used twice, then the output is deep-equal; another seed gives another output', () => {
    const a = sampleIdentities({ locale, count: 25, seed: 7 });
    expect(sampleIdentities({ locale, count: 25, seed: 7 })).toEqual(a);
    const b = sampleIdentities({ locale, count: 25, seed: 8 });
    expect(b.map((c) => c.persona.accountNumber)).not.toEqual(a.map((c) => c.persona.accountNumber));
  });

  it('when a generator is seeded, then variants of an identity are the same every time they are asked for', () => {
    const generator = createIdentityGenerator({ locale, seed: 99, now: () => FIXED_NOW });
    const first = generator.next();
    expect(first).toEqual(batch[0]);
    expect(generator.variants(first, 4)).toEqual(variants[0]);
  });
});
