// Every phone number goes through libphonenumber-js (full metadata, so validation knows which
// ranges are mobile and which are fixed line) — never a hand-rolled regex.
import { parsePhoneNumberFromString, type PhoneNumber } from 'libphonenumber-js/max';
import { IdentityError } from './errors.ts';
import type { Random } from './random.ts';
import type { PhoneForms } from './types.ts';

/** Saudi mobile prefixes in use, weighted roughly by how often customers carry them. */
const SA_MOBILE_PREFIXES = ['50', '50', '50', '53', '54', '55', '55', '56', '56', '58', '59', '57'];

export function parsePhone(input: string, defaultCountry?: 'SA' | 'US'): PhoneNumber | undefined {
  const parsed = parsePhoneNumberFromString(input, defaultCountry);
  return parsed?.isValid() ? parsed : undefined;
}

export function phoneForms(phone: PhoneNumber): PhoneForms {
  return { e164: phone.number, national: phone.formatNational() };
}

/** The canary number as given by the number pool, in both forms; refuses anything invalid. */
export function contactPhone(e164: string): PhoneForms {
  const parsed = parsePhone(e164);
  if (!parsed) throw new IdentityError('invalid-phone', `not a valid phone number: ${e164}`, 'phoneE164');
  return phoneForms(parsed);
}

/** Most draws pass; a thousand misses means the area code itself is not in service. */
const DRAW_TRIES = 1000;

function drawValid(build: () => string, accept: (p: PhoneNumber) => boolean): PhoneForms {
  for (let i = 0; i < DRAW_TRIES; i++) {
    const parsed = parsePhone(build());
    if (parsed && accept(parsed)) return phoneForms(parsed);
  }
  throw new IdentityError('phone-unavailable', 'no valid number could be drawn for this area', 'serviceArea');
}

export function saudiMobile(random: Random): PhoneForms {
  return drawValid(
    () => `+9665${random.pick(SA_MOBILE_PREFIXES).slice(1)}${random.digits(7)}`,
    (p) => p.getType() === 'MOBILE',
  );
}

/** A fixed line in the city's area (areaCode like "011"); the subscriber part starts 2–8 as real ones do. */
export function saudiLandline(random: Random, areaCode: string): PhoneForms {
  return drawValid(
    () => `+966${areaCode.slice(1)}${random.int(2, 8)}${random.digits(6)}`,
    (p) => p.getType() === 'FIXED_LINE',
  );
}

/**
 * A NANP number in one of the city's area codes. The 555 exchange is skipped entirely: 555-01xx
 * is the fictional block every film uses, and the rest of 555 is directory services.
 */
export function usPhone(random: Random, areaCodes: readonly string[]): PhoneForms {
  return drawValid(
    () => {
      const exchange = `${random.int(2, 9)}${random.digits(2)}`;
      return `+1${random.pick(areaCodes)}${exchange}${random.digits(4)}`;
    },
    (p) => !/^\d{3}(555|\d11)/.test(p.nationalNumber),
  );
}
