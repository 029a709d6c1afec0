// An ar-SA customer: four-part Arabic name with its Latin transliteration, national ID, Saudi
// National Address, and phones. Utility fields are added by the generator.
import {
  AVOIDED_NAME_PAIRS, FAMILY_NAMES, FEMALE_NAMES, MALE_NAMES, type NameEntry,
} from './locales/ar-SA-names.ts';
import { COMMON_STREETS } from './locales/ar-SA-places.ts';
import type { NationalIdAllocator } from './national-id.ts';
import { saudiLandline } from './phones.ts';
import type { Random } from './random.ts';
import { districtCode, type SaudiArea } from './service-area.ts';
import type { PhoneForms, SaudiAddress } from './types.ts';

export interface ArabicName {
  /** given, father, grandfather, family */
  parts: [NameEntry, NameEntry, NameEntry, NameEntry];
  female: boolean;
  /** Whether the name is written with بن/بنت between the personal names. */
  withBin: boolean;
}

/** Share of account holders who are women; most Saudi water accounts are in a man's name. */
const FEMALE_SHARE = 0.2;
/** Most records omit بن; some agents and customers write it. */
const BIN_SHARE = 0.25;
/** Households that still give a landline alongside the mobile. */
const LANDLINE_SHARE = 0.3;

const avoided = (a: NameEntry, b: NameEntry) => a[0] === b[0] || AVOIDED_NAME_PAIRS.some(([x, y]) => x === a[0] && y === b[0]);

export function drawArabicName(random: Random): ArabicName {
  const female = random.chance(FEMALE_SHARE);
  for (;;) {
    const given = random.pick(female ? FEMALE_NAMES : MALE_NAMES);
    const father = random.pick(MALE_NAMES);
    const grandfather = random.pick(MALE_NAMES);
    if (avoided(given, father) || avoided(father, grandfather)) continue;
    return { parts: [given, father, grandfather, random.pick(FAMILY_NAMES)], female, withBin: random.chance(BIN_SHARE) };
  }
}

export function arabicFullName(name: ArabicName): string {
  const [given, father, grandfather, family] = name.parts.map((p) => p[0]);
  if (!name.withBin) return `${given} ${father} ${grandfather} ${family}`;
  return `${given} ${name.female ? 'بنت' : 'بن'} ${father} بن ${grandfather} ${family}`;
}

/** Family names with ال are transliterated "Al-…", as passports and most billing systems do. */
export function latinFamily(entry: NameEntry, stem = entry[1], style: 'Al-' | 'Al ' | 'Al' = 'Al-'): string {
  if (!entry[0].startsWith('ال')) return stem;
  return style === 'Al' ? `Al${stem.toLowerCase()}` : `${style}${stem}`;
}

export function latinFullName(name: ArabicName): string {
  const [given, father, grandfather, family] = name.parts;
  const personal = name.withBin
    ? `${given[1]} ${name.female ? 'bint' : 'bin'} ${father[1]} bin ${grandfather[1]}`
    : `${given[1]} ${father[1]} ${grandfather[1]}`;
  return `${personal} ${latinFamily(family)}`;
}

export function drawSaudiAddress(random: Random, areas: readonly SaudiArea[]): { address: SaudiAddress; area: SaudiArea } {
  const area = random.pick(areas);
  const district = random.pick(area.districts);
  const buildingNumber = String(random.int(1000, 9999));
  const address: SaudiAddress = {
    buildingNumber,
    street: random.pick([...area.city.streets, ...COMMON_STREETS]),
    district: district.ar,
    city: area.city.ar,
    postalCode: district.postalCode,
    additionalNumber: String(random.int(2000, 9999)),
    shortAddress: `${area.city.shortCode}${districtCode(area.city, district)}${buildingNumber}`,
  };
  return { address, area };
}

export function drawSaudiLandline(random: Random, area: SaudiArea): PhoneForms | undefined {
  return random.chance(LANDLINE_SHARE) ? saudiLandline(random, area.city.areaCode) : undefined;
}

export function drawNationalId(ids: NationalIdAllocator): string {
  // The names drawn are Saudi, so the ID is a citizen's (1…); a reserved range overrides this.
  return ids.next('citizen');
}
