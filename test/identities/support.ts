// Independent checks for the identity tests: written from the rules in issue 3 and public
// numbering plans, not imported from src, so a wrong table in src cannot pass its own test.
import type { CanaryIdentity, PlantingVariant } from '../../src/identities/index.ts';

export function luhnValid(digits: string): boolean {
  let sum = 0;
  [...digits].reverse().forEach((ch, i) => {
    const d = Number(ch) * (i % 2 === 1 ? 2 : 1);
    sum += d > 9 ? d - 9 : d;
  });
  return /^\d+$/.test(digits) && sum % 10 === 0;
}

/** Weights 2..7 from the right; check = (11 - sum mod 11) mod 11, 10 never issued. */
export function mod11Valid(digits: string): boolean {
  const body = digits.slice(0, -1);
  let sum = 0;
  [...body].reverse().forEach((ch, i) => (sum += Number(ch) * ((i % 6) + 2)));
  return (11 - (sum % 11)) % 11 === Number(digits.slice(-1));
}

/** Saudi city → [postal code first digit for its region, landline area code]. */
export const SAUDI_CITY_RULES: Record<string, [string, string]> = {
  'الرياض': ['1', '011'], 'جدة': ['2', '012'], 'مكة المكرمة': ['2', '012'], 'الطائف': ['2', '012'],
  'الدمام': ['3', '013'], 'الخبر': ['3', '013'], 'الهفوف': ['3', '013'], 'المدينة المنورة': ['4', '014'],
  'تبوك': ['4', '014'], 'بريدة': ['5', '016'], 'عنيزة': ['5', '016'], 'حائل': ['5', '016'], 'أبها': ['6', '017'],
  'خميس مشيط': ['6', '017'], 'نجران': ['6', '017'], 'الباحة': ['6', '017'], 'عرعر': ['7', '014'], 'سكاكا': ['7', '014'],
  'جازان': ['8', '017'],
};

/** USPS ZIP prefixes (first three digits) by state, for the states a pack may use. */
export const ZIP3_BY_STATE: Record<string, Array<[number, number]>> = {
  OH: [[430, 459]], NC: [[270, 289]], AZ: [[850, 865]], TX: [[750, 799], [885, 885]], CO: [[800, 816]],
  CA: [[900, 961]], FL: [[320, 349]], GA: [[300, 319], [398, 399]], IN: [[460, 479]], TN: [[370, 385]],
  KY: [[400, 427]], VA: [[201, 201], [220, 246]], MO: [[630, 658]], NE: [[680, 693]], NM: [[870, 884]],
  OR: [[970, 979]], UT: [[840, 847]], WI: [[530, 549]], MN: [[550, 567]], PA: [[150, 196]], ID: [[832, 838]],
  OK: [[730, 749]], AL: [[350, 369]], NV: [[889, 898]], NY: [[100, 149]], MD: [[206, 219]], WA: [[980, 994]],
  CT: [[60, 69]], RI: [[28, 29]],
};

/** NANP area codes → state, for the codes serving the pack's cities. */
export const AREA_CODE_STATE: Record<string, string> = {
  614: 'OH', 380: 'OH', 704: 'NC', 980: 'NC', 919: 'NC', 984: 'NC', 602: 'AZ', 480: 'AZ', 623: 'AZ', 520: 'AZ',
  512: 'TX', 737: 'TX', 303: 'CO', 720: 'CO', 916: 'CA', 279: 'CA', 813: 'FL', 656: 'FL', 904: 'FL', 404: 'GA',
  470: 'GA', 678: 'GA', 317: 'IN', 463: 'IN', 615: 'TN', 629: 'TN', 502: 'KY', 804: 'VA', 816: 'MO', 402: 'NE',
  531: 'NE', 505: 'NM', 503: 'OR', 971: 'OR', 801: 'UT', 385: 'UT', 414: 'WI', 612: 'MN', 412: 'PA', 878: 'PA',
  208: 'ID', 986: 'ID', 918: 'OK', 539: 'OK', 205: 'AL', 659: 'AL', 702: 'NV', 725: 'NV', 315: 'NY', 680: 'NY',
  410: 'MD', 443: 'MD', 667: 'MD', 509: 'WA', 860: 'CT', 959: 'CT', 401: 'RI',
};

const TELL_WORDS_EN = ['test', 'tests', 'testing', 'canary', 'canaries', 'demo', 'sample', 'fake', 'trap', 'dummy', 'decoy', 'honeypot'];
const TELL_WORDS_AR = ['تجربة', 'تجربه', 'تجريبي', 'تجريبية', 'اختبار', 'وهمي', 'وهمية', 'عينة', 'فخ', 'كناري', 'مزيف', 'ديمو', 'مصيدة'];

/** The tell words found in a text, English by whole Latin word, Arabic by word less its prefixes. */
export function tellWords(text: string): string[] {
  const found = text.toLowerCase().split(/[^a-z]+/).filter((w) => TELL_WORDS_EN.includes(w));
  for (const word of text.split(/[^\u0621-\u064a]+/u)) {
    const bare = word.replace(/^(?:و|ف|ب|ل)?(?:ال)?/u, '');
    if (TELL_WORDS_AR.includes(word) || TELL_WORDS_AR.includes(bare)) found.push(word);
  }
  return found;
}

/** Strings that look machine-made: a long run mixing letters and digits, like a nanoid or uuid. */
export function tokenLike(text: string): string[] {
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$/.test(text)) return [];
  return text.split(/[\s,.;:]+/).filter((w) => w.length >= 8 && /[a-z]/i.test(w) && /\d/.test(w) && !/^[A-Z]{1,4}-?\d+(?:-\d+)*$/.test(w));
}

/** Every string in an identity (and its variants), for whole-record scans. */
export function allStrings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(allStrings);
  if (value && typeof value === 'object') return Object.values(value).flatMap(allStrings);
  return [];
}

/** How many items share their value with at least one other item. */
export function sharedCount(values: readonly string[]): number {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts.values()].filter((c) => c > 1).reduce((a, b) => a + b, 0);
}

/** Local wall time of an ISO instant in a zone: weekday 0 = Sunday. */
export function localTime(iso: string, timeZone: string): { weekday: number; hour: number; minute: number } {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', hour: 'numeric', minute: 'numeric', hourCycle: 'h23' })
    .formatToParts(new Date(iso));
  const get = (t: string) => parts.find((p) => p.type === t)!.value;
  return { weekday: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(get('weekday')), hour: Number(get('hour')), minute: Number(get('minute')) };
}

export type Batch = { identities: CanaryIdentity[]; variants: PlantingVariant[][] };

/** Fixed clock for batches: a Wednesday afternoon, mid-week in both locales. */
export const FIXED_NOW = new Date('2026-03-11T14:30:00Z');
