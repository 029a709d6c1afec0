// An en-US customer: a name as a billing system holds it, and a street address whose city,
// state, ZIP and phone area code all agree.
import { DIRECTIONALS, STREET_NAMES, STREET_SUFFIXES, UNIT_FORMS } from './locales/en-US-places.ts';
import { FEMALE_GIVEN, MALE_GIVEN, MIDDLE_INITIALS, SURNAMES } from './locales/en-US-names.ts';
import type { Random } from './random.ts';
import type { UsArea } from './service-area.ts';
import type { UsAddress } from './types.ts';

/** Billing systems often carry a middle initial. */
const MIDDLE_INITIAL_SHARE = 0.3;
const DIRECTIONAL_SHARE = 0.2;
const UNIT_SHARE = 0.15;

export function drawUsName(random: Random): string {
  const given = random.pick(random.chance(0.5) ? FEMALE_GIVEN : MALE_GIVEN)[0];
  const middle = random.chance(MIDDLE_INITIAL_SHARE) ? ` ${random.pick(MIDDLE_INITIALS)}.` : '';
  return `${given}${middle} ${random.pick(SURNAMES)}`;
}

export function drawUsAddress(random: Random, areas: readonly UsArea[]): { address: UsAddress; area: UsArea } {
  const area = random.pick(areas);
  // House numbers cluster in the low thousands; a 5-digit one now and then on long roads.
  const number = random.chance(0.1) ? random.int(10000, 24999) : random.int(100, 9899);
  const directional = random.chance(DIRECTIONAL_SHARE) ? `${random.pick(DIRECTIONALS)} ` : '';
  const unit = random.chance(UNIT_SHARE)
    ? ` ${random.pick(UNIT_FORMS).replace('{n}', random.chance(0.5) ? String(random.int(1, 24)) : `${random.int(1, 4)}${random.pick(['A', 'B', 'C', 'D'])}`)}`
    : '';
  const street = `${number} ${directional}${random.pick(STREET_NAMES)} ${random.pick(STREET_SUFFIXES)}${unit}`;
  return { address: { street, city: area.city.city, state: area.city.state, zip: random.pick(area.zips) }, area };
}
