// What a target must be checked against before a canary is planted (so it never collides with a
// real customer), and the normalisation that makes "Al-Ghamdi"/"الغامدي"/"غامدي" or
// "12 Oak Street"/"12 OAK ST." compare equal. Connectors normalise the target's rows the same way.
import type { CanaryIdentity, SaudiAddress, UsAddress } from './types.ts';

export interface IdentityKeys {
  /** E.164 of every phone on the persona. */
  phones: string[];
  nationalId?: string;
  accountNumber: string;
  premiseId: string;
  meterSerial: string;
  /** normaliseAddress(address) */
  address: string;
  name: string;
}

export function identityKeys(identity: CanaryIdentity): IdentityKeys {
  const p = identity.persona;
  return {
    phones: [p.phone.e164, ...(p.landline ? [p.landline.e164] : [])],
    ...(p.nationalId ? { nationalId: p.nationalId } : {}),
    accountNumber: p.accountNumber,
    premiseId: p.premiseId,
    meterSerial: p.meterSerial,
    address: normaliseAddress(p.address),
    name: normaliseName(p.fullName),
  };
}

/** Folds the spellings Arabic writers use interchangeably: hamza forms, ة/ه, ى/ي, diacritics. */
export function normaliseArabic(text: string): string {
  return text
    .replace(/[\u064B-\u0652\u0670\u0640]/g, '')
    .replace(/[أإآ]/g, 'ا')
    .replace(/ة/g, 'ه')
    .replace(/ى/g, 'ي');
}

const US_ABBREVIATIONS: Record<string, string> = {
  street: 'st', avenue: 'ave', drive: 'dr', road: 'rd', lane: 'ln', court: 'ct', boulevard: 'blvd', place: 'pl',
  circle: 'cir', north: 'n', south: 's', east: 'e', west: 'w', apartment: 'apt', unit: 'apt', '#': 'apt',
};

/** One comparable line for an address: lowercase, folded spellings, USPS abbreviations. */
export function normaliseAddressText(text: string): string {
  return normaliseArabic(text.toLowerCase())
    .replace(/#\s*/g, '# ')
    .replace(/[.,،\-]/g, ' ')
    .split(/\s+/)
    .filter(Boolean)
    .map((word) => US_ABBREVIATIONS[word] ?? word)
    .join(' ');
}

export function normaliseAddress(address: SaudiAddress | UsAddress): string {
  const line =
    'buildingNumber' in address
      ? `${address.buildingNumber} ${address.street} ${address.district} ${address.city} ${address.postalCode}`
      : `${address.street} ${address.city} ${address.state} ${address.zip}`;
  return normaliseAddressText(line);
}

/** A name with its spelling variation folded away: بن/bin, the article, spacing in عبد…, case. */
export function normaliseName(name: string): string {
  return normaliseArabic(name.toLowerCase())
    .replace(/\bal[-\s](?=\p{L})/gu, '')
    .replace(/[.,'’\-]/g, ' ')
    .replace(/عبد\s+/g, 'عبد')
    .split(/\s+/)
    .filter((w) => w && !['بن', 'بنت', 'bin', 'bint'].includes(w))
    .map((w) => w.replace(/^ال/, ''))
    .join(' ');
}
