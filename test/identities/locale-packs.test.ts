// The locale data itself: no tell words, no prominent families, and places that agree.
import { describe, expect, it } from 'vitest';
import { FAMILY_NAMES, FEMALE_NAMES, MALE_NAMES } from '../../src/identities/locales/ar-SA-names.ts';
import { SAUDI_CITIES } from '../../src/identities/locales/ar-SA-places.ts';
import { AR_SA_PHRASES } from '../../src/identities/locales/ar-SA-tickets.ts';
import { US_CITIES } from '../../src/identities/locales/en-US-places.ts';
import { EN_US_PHRASES } from '../../src/identities/locales/en-US-tickets.ts';
import { TICKET_CATEGORIES } from '../../src/identities/index.ts';
import { AREA_CODE_STATE, SAUDI_CITY_RULES, ZIP3_BY_STATE, allStrings, tellWords } from './support.ts';

describe('locale packs', () => {
  it('then no phrase, name or place holds a tell word', () => {
    const data = [AR_SA_PHRASES, EN_US_PHRASES, MALE_NAMES, FEMALE_NAMES, FAMILY_NAMES, SAUDI_CITIES, US_CITIES];
    expect(data.flatMap((d) => allStrings(d).flatMap(tellWords))).toEqual([]);
  });

  it('then the family names exclude the royal family and the best-known merchant houses', () => {
    const famous = ['آل سعود', 'السعود', 'العليان', 'الراجحي', 'بن لادن', 'الجفالي', 'علي رضا', 'الزامل', 'كانو', 'آل الشيخ', 'الجميح', 'العثيم', 'العمودي', 'القصيبي'];
    const famousLatin = ['Saud', 'Olayan', 'Rajhi', 'Laden', 'Juffali', 'Alireza', 'Zamil', 'Kanoo', 'Sheikh', 'Jomaih', 'Othaim', 'Amoudi', 'Gosaibi'];
    for (const entry of FAMILY_NAMES) {
      expect(famous).not.toContain(entry[0]);
      for (const latin of entry.slice(1)) expect(famousLatin).not.toContain(latin);
    }
  });

  it('then every ticket category has wording in both voices in both languages', () => {
    for (const phrases of [AR_SA_PHRASES, EN_US_PHRASES]) {
      for (const category of TICKET_CATEGORIES) {
        const pack = phrases.categories[category];
        for (const voice of ['customer', 'agent'] as const) {
          expect(pack.openings[voice].length, `${category} ${voice}`).toBeGreaterThanOrEqual(4);
          expect(pack.details[voice].length, `${category} ${voice}`).toBeGreaterThanOrEqual(5);
        }
      }
    }
  });

  it('then every Saudi city has its region digit on every district postal code and the right area code', () => {
    for (const city of SAUDI_CITIES) {
      const [digit, areaCode] = SAUDI_CITY_RULES[city.ar] ?? [];
      expect(areaCode, city.latin).toBe(city.areaCode);
      for (const d of city.districts) expect(d.postalCode, `${city.latin} ${d.latin}`).toMatch(new RegExp(`^${digit}\\d{4}$`));
    }
  });

  it('then every US city has ZIPs of its state and area codes of its state', () => {
    for (const city of US_CITIES) {
      for (const zip of city.zips) {
        const zip3 = Number(zip.slice(0, 3));
        expect(ZIP3_BY_STATE[city.state]!.some(([lo, hi]) => zip3 >= lo && zip3 <= hi), `${city.city} ${zip}`).toBe(true);
      }
      for (const code of city.areaCodes) expect(AREA_CODE_STATE[code], `${city.city} ${code}`).toBe(city.state);
    }
  });
});
