// 1,000 ar-SA canaries, every field checked against the Saudi formats issue 3 names.
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { beforeAll, describe, expect, it } from 'vitest';
import { createIdentityGenerator, type CanaryIdentity, type SaudiAddress } from '../../src/identities/index.ts';
import { FIXED_NOW, SAUDI_CITY_RULES, localTime, luhnValid } from './support.ts';

const CANARY_NUMBERS = ['+966512345670', '+966559876543'];
let batch: CanaryIdentity[];

beforeAll(() => {
  const generator = createIdentityGenerator({ locale: 'ar-SA', seed: 2024, now: () => FIXED_NOW });
  batch = Array.from({ length: 1000 }, (_, i) => generator.next(i < 2 ? CANARY_NUMBERS[i] : undefined));
});

const address = (c: CanaryIdentity) => c.persona.address as SaudiAddress;

describe('ar-SA personas', () => {
  it('when a canary number is given, then it is the contact phone in E.164 and national form', () => {
    expect(batch[0]!.persona.phone).toEqual({ e164: '+966512345670', national: '051 234 5670' });
    expect(batch[1]!.persona.phone.e164).toBe('+966559876543');
  });

  it('when no number is given, then the phone is a valid Saudi mobile, +9665XXXXXXXX, formatted nationally', () => {
    for (const c of batch.slice(2)) {
      const parsed = parsePhoneNumberFromString(c.persona.phone.e164)!;
      expect(c.persona.phone.e164).toMatch(/^\+9665\d{8}$/);
      expect(parsed.isValid() && parsed.getType()).toBe('MOBILE');
      expect(c.persona.phone.national).toBe(parsed.formatNational());
      expect(c.persona.phone.national).toMatch(/^05\d \d{3} \d{4}$/);
    }
  });

  it('when a landline is given, then it is a valid fixed line with the area code of the city', () => {
    const withLandline = batch.filter((c) => c.persona.landline);
    expect(withLandline.length).toBeGreaterThan(100);
    expect(withLandline.length).toBeLessThan(600);
    for (const c of withLandline) {
      const parsed = parsePhoneNumberFromString(c.persona.landline!.e164)!;
      expect(parsed.isValid() && parsed.getType()).toBe('FIXED_LINE');
      expect(c.persona.landline!.national.startsWith(SAUDI_CITY_RULES[address(c).city]![1])).toBe(true);
    }
  });

  it('then the national ID is 10 digits, starts with 1 or 2, and passes Luhn over all ten', () => {
    for (const c of batch) {
      expect(c.persona.nationalId).toMatch(/^[12]\d{9}$/);
      expect(luhnValid(c.persona.nationalId!)).toBe(true);
    }
  });

  it('then the name has four Arabic parts (بن/بنت aside) and a Latin transliteration of as many parts', () => {
    for (const { persona } of batch) {
      const parts = persona.fullName.split(' ').filter((w) => w !== 'بن' && w !== 'بنت');
      expect(parts).toHaveLength(4);
      expect(persona.fullName).toMatch(/^[\u0621-\u064a ]+$/u);
      expect(persona.fullNameLatin).toMatch(/^[A-Za-z' -]+$/);
      const latinParts = persona.fullNameLatin!.replace(/\b(bin|bint) /g, '').replace(/^(.*) Al[- ]?(\S+)$/, '$1 Al$2').split(' ');
      expect(latinParts).toHaveLength(4);
    }
  });

  it('then no persona carries the royal family or a famous merchant house as family name', () => {
    const famous = /(آل سعود|العليان|الراجحي|بن لادن|الجفالي|علي ?رضا|الزامل|كانو|Saud$|Olayan|Rajhi|Laden|Juffali|Alireza|Zamil|Kanoo)/;
    for (const { persona } of batch) {
      expect(persona.fullName).not.toMatch(famous);
      expect(persona.fullNameLatin).not.toMatch(famous);
    }
  });

  it('then the postal code is 5 digits whose first digit is the region of the city', () => {
    for (const c of batch) {
      const rules = SAUDI_CITY_RULES[address(c).city];
      expect(rules, `unknown city ${address(c).city}`).toBeDefined();
      expect(address(c).postalCode).toMatch(/^\d{5}$/);
      expect(address(c).postalCode[0]).toBe(rules![0]);
    }
  });

  it('then building and additional numbers are 4 digits and the short address is 4 letters + the building number', () => {
    for (const c of batch) {
      const a = address(c);
      expect(a.buildingNumber).toMatch(/^[1-9]\d{3}$/);
      expect(a.additionalNumber).toMatch(/^[1-9]\d{3}$/);
      expect(a.shortAddress).toMatch(/^[A-Z]{4}\d{4}$/);
      expect(a.shortAddress.slice(4)).toBe(a.buildingNumber);
      expect(a.street).toMatch(/^(شارع|طريق|الكورنيش)/);
    }
  });

  it('then one district always has the same short-address letters, and two districts of a city never share them', () => {
    const lettersByPlace = new Map<string, Set<string>>();
    for (const c of batch) {
      const key = `${address(c).city}|${address(c).district}`;
      lettersByPlace.set(key, (lettersByPlace.get(key) ?? new Set()).add(address(c).shortAddress.slice(0, 4)));
    }
    const seen = new Map<string, string>();
    for (const [place, letters] of lettersByPlace) {
      expect(letters.size, place).toBe(1);
      const code = `${place.split('|')[0]}|${[...letters][0]}`;
      expect(seen.get(code), `${place} shares letters with ${seen.get(code)}`).toBeUndefined();
      seen.set(code, place);
    }
  });

  it('then utility fields follow the default ar-SA formats, the account number Luhn-checked', () => {
    for (const { persona } of batch) {
      expect(persona.accountNumber).toMatch(/^30\d{8}$/);
      expect(luhnValid(persona.accountNumber)).toBe(true);
      expect(persona.premiseId).toMatch(/^7\d{9}$/);
      expect(persona.meterSerial).toMatch(/^SW\d{8}$/);
    }
  });
});

describe('ar-SA tickets', () => {
  it('then descriptions are Arabic, with no Latin words', () => {
    for (const { ticket } of batch) {
      expect(ticket.description).toMatch(/[\u0621-\u064a]/u);
      expect(ticket.description).not.toMatch(/[A-Za-z]/);
    }
  });

  it('then createdAt is ISO 8601 in Riyadh time, Sunday to Thursday 08:00–17:00, within the last week', () => {
    for (const { ticket } of batch) {
      expect(ticket.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+03:00$/);
      const at = new Date(ticket.createdAt);
      const local = localTime(ticket.createdAt, 'Asia/Riyadh');
      expect([0, 1, 2, 3, 4]).toContain(local.weekday);
      expect(local.hour).toBeGreaterThanOrEqual(8);
      expect(local.hour).toBeLessThan(17);
      expect(at.getTime()).toBeLessThanOrEqual(FIXED_NOW.getTime());
      expect(FIXED_NOW.getTime() - at.getTime()).toBeLessThan(7 * 86_400_000);
    }
  });

  it('then all seven categories and all four intake channels occur', () => {
    expect(new Set(batch.map((c) => c.ticket.category)).size).toBe(7);
    expect(new Set(batch.map((c) => c.ticket.intakeChannel))).toEqual(new Set(['call-centre', 'app', 'web', 'branch']));
  });
});
