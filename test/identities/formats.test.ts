// Utility formats: declared patterns produce the target's shapes, impossible ones are refused
// naming the setting, and learned formats copy shapes, never values.
import { describe, expect, it } from 'vitest';
import { createIdentityGenerator, learnFormats, type FieldFormat, type UtilityFormats } from '../../src/identities/index.ts';
import { FIXED_NOW, luhnValid, mod11Valid } from './support.ts';

function values(formats: UtilityFormats, count = 300) {
  const generator = createIdentityGenerator({ locale: 'en-US', seed: 31, formats, now: () => FIXED_NOW });
  return Array.from({ length: count }, () => generator.next().persona);
}

describe('declared formats', () => {
  it('when a pattern has literals, digits and letters, then every value has exactly that shape', () => {
    const personas = values({ meterSerial: { pattern: 'MTR-####-##' }, premiseId: { pattern: 'PR-AA####' } });
    for (const p of personas) {
      expect(p.meterSerial).toMatch(/^MTR-\d{4}-\d{2}$/);
      expect(p.premiseId).toMatch(/^PR-[A-Z]{2}\d{4}$/);
    }
  });

  it('when a prefix and length are given without a pattern, then values are the prefix and digits to that length', () => {
    for (const p of values({ accountNumber: { prefix: '10', length: 9 } })) expect(p.accountNumber).toMatch(/^10\d{7}$/);
  });

  it('when a prefix is given with a pattern, then it fills the first slots', () => {
    for (const p of values({ meterSerial: { pattern: 'AA######', prefix: 'KM' } })) expect(p.meterSerial).toMatch(/^KM\d{6}$/);
  });

  it('when a Luhn or mod-11 check digit is declared, then every value passes it', () => {
    const personas = values({ accountNumber: { pattern: '10########', checkDigit: 'luhn' }, premiseId: { pattern: '####-#####', checkDigit: 'mod11' } });
    for (const p of personas) {
      expect(p.accountNumber).toMatch(/^10\d{8}$/);
      expect(luhnValid(p.accountNumber)).toBe(true);
      expect(mod11Valid(p.premiseId.replace('-', ''))).toBe(true);
    }
    // Not every value passes by chance: without the check, about nine in ten would fail.
    const unchecked = values({ accountNumber: { pattern: '10########' } }).filter((p) => luhnValid(p.accountNumber));
    expect(unchecked.length).toBeLessThan(60);
  });

  it.each<[string, FieldFormat]>([
    ['an empty pattern', { pattern: '' }],
    ['an all-literal pattern', { pattern: 'MTR-' }],
    ['a prefix as long as the length', { prefix: '1234', length: 4 }],
    ['a prefix longer than the length', { prefix: '12345', length: 3 }],
    ['a pattern that disagrees with length', { pattern: '####', length: 6 }],
    ['a prefix that does not fit the pattern', { pattern: '####', prefix: 'AB' }],
    ['a check digit on a letter', { pattern: '###A', checkDigit: 'luhn' }],
    ['neither pattern nor length', { prefix: '7' }],
    ['an unknown check digit', { pattern: '####', checkDigit: 'crc' as never }],
    ['fixed text that reads as a tell word', { pattern: 'TEST-####' }],
  ])('when the account format is %s, then an invalid-format error names formats.accountNumber', (_, format) => {
    expect(() => createIdentityGenerator({ locale: 'ar-SA', formats: { accountNumber: format } })).toThrowError(
      expect.objectContaining({ code: 'invalid-format', setting: expect.stringMatching(/^formats\.accountNumber/) }),
    );
  });

  it('when a format has fewer values than canaries asked for, then format-exhausted names the setting', () => {
    const generator = createIdentityGenerator({ locale: 'en-US', seed: 1, formats: { meterSerial: { pattern: 'W-#' } }, now: () => FIXED_NOW });
    for (let i = 0; i < 10; i++) generator.next();
    expect(() => generator.next()).toThrowError(expect.objectContaining({ code: 'format-exhausted', setting: 'formats.meterSerial' }));
  });
});

describe('learned formats', () => {
  const samples = {
    accountNumber: ['4401938275', '4407729104', '4405518262', '4400239917', '4409981423', '4403301178'],
    premiseId: ['P-10293', 'P-55821', 'P-90014', 'P-33190'],
    meterSerial: ['KM19-004821', 'KM21-118273', 'KM18-902211', 'KM22-000917', 'KM20-551026'],
  };

  it('when samples share a prefix and separators, then generated values have the same shape', () => {
    for (const p of values(learnFormats(samples), 200)) {
      expect(p.accountNumber).toMatch(/^440\d{7}$/);
      expect(p.premiseId).toMatch(/^P-\d{5}$/);
      expect(p.meterSerial).toMatch(/^KM\d{2}-\d{6}$/);
    }
  });

  it('then no sample value appears in the learned formats or among generated values', () => {
    const formats = learnFormats(samples);
    const text = JSON.stringify(formats);
    const all = Object.values(samples).flat();
    for (const sample of all) expect(text).not.toContain(sample);
    const generated = values(formats, 300).flatMap((p) => [p.accountNumber, p.premiseId, p.meterSerial]);
    expect(generated.filter((v) => all.includes(v))).toEqual([]);
  });

  it('when every sample passes Luhn, then the learned format has a Luhn check digit, and generated values pass', () => {
    const withCheck = (body: string) => body + [...'0123456789'].find((d) => luhnValid(body + d))!;
    const luhnSamples = ['799273987', '453957876', '123456789', '555555555', '888888888'].map(withCheck);
    const formats = learnFormats({ accountNumber: luhnSamples });
    expect(formats.accountNumber?.checkDigit).toBe('luhn');
    for (const p of values(formats, 100)) expect(luhnValid(p.accountNumber)).toBe(true);
  });

  it('when only one sample is given, then no part of it is kept as a prefix', () => {
    const formats = learnFormats({ accountNumber: ['9876543210'] });
    expect(formats.accountNumber).toEqual({ pattern: '##########', checkDigit: 'none' });
  });

  it('when samples differ in length, then the most common length wins', () => {
    const formats = learnFormats({ premiseId: ['123456', '234567', '345678', '12345678'] });
    expect(formats.premiseId?.pattern).toBe('######');
  });

  it('when a field has no samples, then it is left to the locale default', () => {
    expect(learnFormats({ accountNumber: [], premiseId: [' '], meterSerial: [] })).toEqual({});
  });
});
