// The preview behind `tracer identities sample`: deterministic for a seed, createdAt included.
import { describe, expect, it } from 'vitest';
import { PREVIEW_REFERENCE_DATE, sampleIdentities } from '../../src/identities/index.ts';

describe.each(['ar-SA', 'en-US'] as const)('%s preview', (locale) => {
  it('when sampled twice with one seed and no clock, then both lists are deep-equal, dates included', () => {
    const first = sampleIdentities({ locale, count: 40, seed: 12 });
    const second = sampleIdentities({ locale, count: 40, seed: 12 });
    expect(second).toEqual(first);
    expect(first).toHaveLength(40);
  });

  it('when no clock is given, then tickets are dated in the days before the fixed reference date', () => {
    for (const c of sampleIdentities({ locale, count: 40, seed: 12 })) {
      const age = Date.parse(PREVIEW_REFERENCE_DATE) - Date.parse(c.ticket.createdAt);
      expect(age).toBeGreaterThanOrEqual(0);
      expect(age).toBeLessThan(7 * 86_400_000);
    }
  });

  it('when a clock is given, then tickets are dated before it instead', () => {
    const now = new Date('2027-05-05T10:00:00Z');
    for (const c of sampleIdentities({ locale, count: 20, seed: 12, now })) {
      expect(Date.parse(c.ticket.createdAt)).toBeLessThanOrEqual(now.getTime());
      expect(c.ticket.createdAt.startsWith('2027-0')).toBe(true);
    }
  });

  it('then each item has the persona and ticket fields the CLI prints', () => {
    const [c] = sampleIdentities({ locale, count: 1, seed: 1 });
    const addressKeys = locale === 'ar-SA'
      ? ['additionalNumber', 'buildingNumber', 'city', 'district', 'postalCode', 'shortAddress', 'street']
      : ['city', 'state', 'street', 'zip'];
    expect(Object.keys(c!.persona.address).sort()).toEqual(addressKeys);
    expect(c!.persona).toMatchObject({ fullName: expect.any(String), phone: { e164: expect.any(String), national: expect.any(String) } });
    if (locale === 'ar-SA') expect(c!.persona).toMatchObject({ fullNameLatin: expect.any(String), nationalId: expect.any(String) });
    expect(Object.keys(c!.ticket).sort()).toEqual(['category', 'createdAt', 'description', 'intakeChannel', 'priority', 'status']);
  });

  it.each([0, -3, 2.5, 100_001])('when count is %s, then invalid-count names count', (count) => {
    expect(() => sampleIdentities({ locale, count, seed: 1 })).toThrowError(expect.objectContaining({ code: 'invalid-count', setting: 'count' }));
  });
});
