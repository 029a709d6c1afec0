// 1,000 en-US canaries: names, addresses whose city/state/ZIP/area code agree, NANP numbers.
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { beforeAll, describe, expect, it } from 'vitest';
import { createIdentityGenerator, type CanaryIdentity, type UsAddress } from '../../src/identities/index.ts';
import { AREA_CODE_STATE, FIXED_NOW, ZIP3_BY_STATE, localTime, mod11Valid } from './support.ts';

let batch: CanaryIdentity[];

beforeAll(() => {
  const generator = createIdentityGenerator({ locale: 'en-US', seed: 1776, now: () => FIXED_NOW });
  batch = Array.from({ length: 1000 }, (_, i) => generator.next(i === 0 ? '+16145550142' : undefined));
});

const address = (c: CanaryIdentity) => c.persona.address as UsAddress;

describe('en-US personas', () => {
  it('when a canary number is given, then it is the contact phone in E.164 and national form', () => {
    expect(batch[0]!.persona.phone).toEqual({ e164: '+16145550142', national: '(614) 555-0142' });
  });

  it('when no number is given, then the phone is NANP-valid, never a 555 or N11 exchange, formatted nationally', () => {
    for (const c of batch.slice(1)) {
      const parsed = parsePhoneNumberFromString(c.persona.phone.e164)!;
      expect(parsed.isValid()).toBe(true);
      expect(parsed.country).toBe('US');
      expect(c.persona.phone.e164).toMatch(/^\+1[2-9]\d{2}[2-9]\d{6}$/);
      expect(c.persona.phone.e164.slice(5, 8)).not.toBe('555');
      expect(c.persona.phone.e164.slice(6, 8)).not.toBe('11');
      expect(c.persona.phone.national).toBe(parsed.formatNational());
    }
  });

  it('then the phone area code serves the state of the address', () => {
    for (const c of batch.slice(1)) {
      expect(AREA_CODE_STATE[c.persona.phone.e164.slice(2, 5)]).toBe(address(c).state);
    }
  });

  it('then the ZIP is 5 digits within the ranges of the state', () => {
    for (const c of batch) {
      const { zip, state } = address(c);
      expect(zip).toMatch(/^\d{5}$/);
      const zip3 = Number(zip.slice(0, 3));
      const ranges = ZIP3_BY_STATE[state];
      expect(ranges, `no ZIP ranges for ${state}`).toBeDefined();
      expect(ranges!.some(([lo, hi]) => zip3 >= lo && zip3 <= hi), `${zip} in ${state}`).toBe(true);
    }
  });

  it('then the street line is a house number, a street and a suffix, optionally a unit', () => {
    for (const c of batch) {
      expect(address(c).street).toMatch(/^\d{3,5} ([NSEW] )?[A-Z0-9][A-Za-z0-9]* (St|Ave|Dr|Rd|Ln|Ct|Blvd|Way|Pl|Cir)( (Apt \w+|Unit \w+|#\w+))?$/);
      expect(address(c).city).toMatch(/^[A-Z][A-Za-z ]+$/);
      expect(address(c).state).toMatch(/^[A-Z]{2}$/);
    }
  });

  it('then the name is a given name, maybe a middle initial, and a surname; no Arabic-only fields are set', () => {
    for (const { persona } of batch) {
      expect(persona.fullName).toMatch(/^[A-Z][a-z]+( [A-Z]\.)? [A-Z][A-Za-z]+$/);
      expect(persona.fullNameLatin).toBeUndefined();
      expect(persona.nationalId).toBeUndefined();
    }
  });

  it('then utility fields follow the default en-US formats, the account number mod-11 checked', () => {
    for (const { persona } of batch) {
      expect(persona.accountNumber).toMatch(/^4\d{7}-\d{2}$/);
      expect(mod11Valid(persona.accountNumber.replace('-', ''))).toBe(true);
      expect(persona.premiseId).toMatch(/^6\d{8}$/);
      expect(persona.meterSerial).toMatch(/^8\d{9}$/);
    }
  });
});

describe('en-US tickets', () => {
  it('then descriptions are English', () => {
    for (const { ticket } of batch) {
      expect(ticket.description).toMatch(/^[A-Z][\x20-\x7e]+$/);
    }
  });

  it('then createdAt is in New York time, Monday to Friday 08:00–18:00, within the last week', () => {
    for (const { ticket } of batch) {
      expect(ticket.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}-0[45]:00$/);
      const local = localTime(ticket.createdAt, 'America/New_York');
      expect([1, 2, 3, 4, 5]).toContain(local.weekday);
      expect(local.hour).toBeGreaterThanOrEqual(8);
      expect(local.hour).toBeLessThan(18);
      const age = FIXED_NOW.getTime() - new Date(ticket.createdAt).getTime();
      expect(age).toBeGreaterThanOrEqual(0);
      expect(age).toBeLessThan(7 * 86_400_000);
    }
  });

  it('then priorities, statuses and channels are from the allowed sets and vary', () => {
    expect(new Set(batch.map((c) => c.ticket.priority))).toEqual(new Set(['low', 'normal', 'high', 'urgent']));
    expect(new Set(batch.map((c) => c.ticket.status))).toEqual(new Set(['open', 'in-progress', 'resolved', 'closed']));
    expect(new Set(batch.map((c) => c.ticket.category)).size).toBe(7);
  });
});
