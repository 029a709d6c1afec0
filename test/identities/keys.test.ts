// Collision keys: what a target is searched for before planting, normalised so that the same
// customer written two ways still collides.
import { describe, expect, it } from 'vitest';
import {
  createIdentityGenerator, identityKeys, normaliseAddressText, normaliseName, type CanaryIdentity,
} from '../../src/identities/index.ts';
import { FIXED_NOW } from './support.ts';

function withLandline(): CanaryIdentity {
  const generator = createIdentityGenerator({ locale: 'ar-SA', seed: 8, now: () => FIXED_NOW });
  for (;;) {
    const c = generator.next('+966501112233');
    if (c.persona.landline) return c;
  }
}

describe('identityKeys', () => {
  it('when a persona has a mobile and a landline, then both phones, the ID, account and address are keys', () => {
    const c = withLandline();
    const keys = identityKeys(c);
    expect(keys.phones).toEqual(['+966501112233', c.persona.landline!.e164]);
    expect(keys.nationalId).toBe(c.persona.nationalId);
    expect(keys.accountNumber).toBe(c.persona.accountNumber);
    expect(keys.meterSerial).toBe(c.persona.meterSerial);
    expect(keys.address).toContain(c.persona.address.city.replace(/[أإآ]/g, 'ا').replace(/ة/g, 'ه'));
  });

  it('when an en-US persona is keyed, then there is no national ID key', () => {
    const c = createIdentityGenerator({ locale: 'en-US', seed: 8, now: () => FIXED_NOW }).next();
    expect(identityKeys(c)).not.toHaveProperty('nationalId');
    expect(identityKeys(c).phones).toEqual([c.persona.phone.e164]);
  });
});

describe('normalisation', () => {
  it('when an address is written with full words, capitals or punctuation, then it normalises the same', () => {
    expect(normaliseAddressText('1420 North Oak Street, Apartment 4B')).toBe(normaliseAddressText('1420 N. OAK ST #4B'));
    expect(normaliseAddressText('1420 N Oak St')).not.toBe(normaliseAddressText('1420 S Oak St'));
  });

  it('when an Arabic address differs only in hamza or ta marbuta, then it normalises the same', () => {
    expect(normaliseAddressText('شارع أبي بكر الصديق، حي الروضة')).toBe(normaliseAddressText('شارع ابي بكر الصديق حي الروضه'));
  });

  it('when a name is written with or without بن, the article or the space in عبد, then it normalises the same', () => {
    expect(normaliseName('محمد بن عبدالله بن سعد الغامدي')).toBe(normaliseName('محمد عبد الله سعد غامدي'));
    expect(normaliseName('Mohammed bin Abdullah Al-Ghamdi')).toBe(normaliseName('MOHAMMED ABDULLAH AL GHAMDI'));
    expect(normaliseName('Allen Alvarez')).toBe('allen alvarez');
    expect(normaliseName('محمد عبدالله الغامدي')).not.toBe(normaliseName('محمد عبدالله الزهراني'));
  });
});
