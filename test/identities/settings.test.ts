// Bad settings fail before anything is generated, with a code and the setting to fix; good ones
// (reserved ID range, service area) are honoured by every canary.
import { describe, expect, it } from 'vitest';
import { createIdentityGenerator, IdentityError, sampleIdentities, type SaudiAddress, type UsAddress } from '../../src/identities/index.ts';
import { FIXED_NOW, luhnValid } from './support.ts';

const errorWith = (code: string, setting?: string) =>
  expect.objectContaining({ code, ...(setting ? { setting } : {}), message: expect.stringMatching(/\S/) });

describe('locale', () => {
  it.each(['fr-FR', 'ar', 'en_US', '', undefined, 42])('when the locale is %j, then unknown-locale names locale', (locale) => {
    expect(() => createIdentityGenerator({ locale: locale as never })).toThrowError(errorWith('unknown-locale', 'locale'));
    expect(() => createIdentityGenerator({ locale: locale as never })).toThrow(IdentityError);
  });
});

describe('reserved national ID range', () => {
  it('when a range is set, then every ID lies in it, passes Luhn, and none repeats', () => {
    const range = { from: '1098700000', to: '1098709999' };
    const generator = createIdentityGenerator({ locale: 'ar-SA', seed: 3, nationalIdRange: range, now: () => FIXED_NOW });
    const ids = Array.from({ length: 400 }, () => generator.next().persona.nationalId!);
    for (const id of ids) {
      expect(id >= range.from && id <= range.to, id).toBe(true);
      expect(luhnValid(id)).toBe(true);
    }
    expect(new Set(ids).size).toBe(400);
  });

  it('when the range holds two valid IDs, then two canaries get them and the third fails naming nationalIdRange', () => {
    const generator = createIdentityGenerator({ locale: 'ar-SA', seed: 3, nationalIdRange: { from: '2000000000', to: '2000000019' } });
    const ids = [generator.next().persona.nationalId, generator.next().persona.nationalId];
    expect(new Set(ids).size).toBe(2);
    expect(() => generator.next()).toThrowError(errorWith('national-id-range-exhausted', 'nationalIdRange'));
  });

  it.each([
    [{ from: '3000000000', to: '3000009999' }],
    [{ from: '1000009999', to: '1000000000' }],
    [{ from: '10000', to: '1000000000' }],
  ])('when the range is %j, then invalid-national-id-range names the setting', (range) => {
    expect(() => createIdentityGenerator({ locale: 'ar-SA', nationalIdRange: range })).toThrowError(
      errorWith('invalid-national-id-range', expect.stringMatching(/^nationalIdRange/) as never),
    );
  });
});

describe('service area', () => {
  it('when ar-SA cities and districts are restricted, then every canary lives there', () => {
    const canaries = sampleIdentities({ locale: 'ar-SA', count: 200, seed: 4, serviceArea: { cities: ['Jeddah'], districts: ['An Naim', 'الصفا'] } });
    for (const c of canaries) {
      const a = c.persona.address as SaudiAddress;
      expect(a.city).toBe('جدة');
      expect(['النعيم', 'الصفا']).toContain(a.district);
      expect(c.persona.landline?.national.startsWith('012') ?? true).toBe(true);
    }
  });

  it('when en-US cities and ZIP codes are restricted, then every canary lives there with a local number', () => {
    const canaries = sampleIdentities({ locale: 'en-US', count: 200, seed: 4, serviceArea: { cities: ['Columbus, OH'], districts: ['43215', '43209'] } });
    for (const c of canaries) {
      const a = c.persona.address as UsAddress;
      expect([a.city, a.state]).toEqual(['Columbus', 'OH']);
      expect(['43215', '43209']).toContain(a.zip);
      expect(['614', '380']).toContain(c.persona.phone.e164.slice(2, 5));
    }
  });

  it('when a city or district is not known, then the error names it and the setting', () => {
    expect(() => createIdentityGenerator({ locale: 'ar-SA', serviceArea: { cities: ['Atlantis'] } })).toThrowError(
      expect.objectContaining({ code: 'unknown-city', setting: 'serviceArea.cities', message: expect.stringContaining('Atlantis') }),
    );
    expect(() => createIdentityGenerator({ locale: 'en-US', serviceArea: { cities: ['Columbus'], districts: ['90210'] } })).toThrowError(
      expect.objectContaining({ code: 'unknown-district', setting: 'serviceArea.districts', message: expect.stringContaining('90210') }),
    );
  });
});

describe('other settings', () => {
  it('when the canary number is not a valid phone number, then invalid-phone is raised', () => {
    const generator = createIdentityGenerator({ locale: 'en-US', seed: 1 });
    expect(() => generator.next('+1555')).toThrowError(errorWith('invalid-phone', 'phoneE164'));
  });

  it('when the time zone is unknown, then invalid-time-zone names timeZone', () => {
    expect(() => createIdentityGenerator({ locale: 'en-US', timeZone: 'Mars/Olympus' })).toThrowError(errorWith('invalid-time-zone', 'timeZone'));
  });

  it('when a time zone is given, then tickets fall in its working hours', () => {
    const canaries = sampleIdentities({ locale: 'en-US', count: 50, seed: 2, timeZone: 'America/Phoenix', now: FIXED_NOW });
    for (const c of canaries) expect(c.ticket.createdAt).toMatch(/-07:00$/);
  });
});
