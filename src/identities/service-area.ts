// A utility serves one area: restrict the cities (and districts, or ZIP codes in the US) that
// canaries live in, so none sits outside the network it claims to be connected to.
import { IdentityError } from './errors.ts';
import { SAUDI_CITIES, type SaudiCity, type SaudiDistrict } from './locales/ar-SA-places.ts';
import { US_CITIES, type UsCity } from './locales/en-US-places.ts';
import type { ServiceArea } from './options.ts';
import { containsTellWord } from './tells.ts';

export interface SaudiArea {
  city: SaudiCity;
  districts: readonly SaudiDistrict[];
}
export interface UsArea {
  city: UsCity;
  zips: readonly string[];
}

const norm = (s: string) => s.trim().toLowerCase().replace(/[\s'’-]+/g, ' ');

function unknown(code: string, setting: string, names: string[]): never {
  throw new IdentityError(code, `${setting}: not in the locale's data: ${names.join(', ')}`, setting);
}

function pickCities<T>(all: readonly T[], wanted: string[] | undefined, names: (c: T) => string[]): T[] {
  if (!wanted?.length) return [...all];
  const missing = wanted.filter((w) => !all.some((c) => names(c).some((n) => norm(n) === norm(w))));
  if (missing.length) unknown('unknown-city', 'serviceArea.cities', missing);
  return all.filter((c) => wanted.some((w) => names(c).some((n) => norm(n) === norm(w))));
}

export function saudiServiceArea(area: ServiceArea = {}): SaudiArea[] {
  const cities = pickCities(SAUDI_CITIES, area.cities, (c) => [c.ar, c.latin]);
  const wanted = area.districts;
  if (!wanted?.length) return cities.map((city) => ({ city, districts: city.districts }));
  const matches = (d: SaudiDistrict) => wanted.some((w) => norm(w) === norm(d.ar) || norm(w) === norm(d.latin));
  const missing = wanted.filter((w) => !cities.some((c) => c.districts.some((d) => norm(w) === norm(d.ar) || norm(w) === norm(d.latin))));
  if (missing.length) unknown('unknown-district', 'serviceArea.districts', missing);
  return cities
    .map((city) => ({ city, districts: city.districts.filter(matches) }))
    .filter((a) => a.districts.length > 0);
}

/** en-US: cities as "Columbus" or "Columbus, OH"; districts are ZIP codes. */
export function usServiceArea(area: ServiceArea = {}): UsArea[] {
  const cities = pickCities(US_CITIES, area.cities, (c) => [c.city, `${c.city}, ${c.state}`]);
  const wanted = area.districts;
  if (!wanted?.length) return cities.map((city) => ({ city, zips: city.zips }));
  const missing = wanted.filter((z) => !cities.some((c) => c.zips.includes(z.trim())));
  if (missing.length) unknown('unknown-district', 'serviceArea.districts', missing);
  return cities
    .map((city) => ({ city, zips: city.zips.filter((z) => wanted.some((w) => w.trim() === z)) }))
    .filter((a) => a.zips.length > 0);
}

/**
 * The two short-address letters of each district: drawn from its Latin name so they look like
 * Saudi Post's own codes, distinct within a city, and never spelling a tell with the city code.
 */
const districtCodes = new Map<SaudiCity, Map<SaudiDistrict, string>>();

export function districtCode(city: SaudiCity, district: SaudiDistrict): string {
  let codes = districtCodes.get(city);
  if (!codes) {
    codes = new Map();
    const taken = new Set<string>();
    for (const d of city.districts) {
      const code = candidateCodes(d.latin).find((c) => !taken.has(c) && !containsTellWord(city.shortCode + c))!;
      taken.add(code);
      codes.set(d, code);
    }
    districtCodes.set(city, codes);
  }
  return codes.get(district)!;
}

function candidateCodes(latin: string): string[] {
  const core = latin.replace(/^(Al|An|Ar|As|Ash|At|Ath|Az|Adh)\s+/i, '').toUpperCase().replace(/[^A-Z]/g, '');
  const out: string[] = [];
  for (let j = 1; j < core.length; j++) out.push(core[0]! + core[j]!);
  for (let a = 0; a < 26; a++) for (let b = 0; b < 26; b++) out.push(String.fromCharCode(65 + a, 65 + b));
  return out;
}
