// Other spellings of a persona's name, as different agents and systems would type the same person:
// the ones a caller's voice would betray (بن, three or four parts, the article, a nickname) come
// first, then the ones only visible in writing (hamza, ة/ه, spacing, transliteration).
import { FAMILY_NAMES, FEMALE_NAMES, MALE_NAMES, type NameEntry } from './locales/ar-SA-names.ts';
import { FEMALE_GIVEN, MALE_GIVEN, MIDDLE_INITIALS } from './locales/en-US-names.ts';
import { latinFamily } from './persona-ar.ts';
import type { Random } from './random.ts';

export interface NameSpelling {
  fullName: string;
  fullNameLatin?: string;
  /** Spellings with the same audible key sound alike on the phone. */
  audible: string;
}

const lookup = (list: readonly NameEntry[], arabic: string) => list.find((e) => e[0] === arabic);

/** Parses a name this package generated ("محمد بن عبدالله بن سعد الغامدي"); undefined otherwise. */
function parseArabic(fullName: string): { parts: NameEntry[]; female: boolean } | undefined {
  const tokens = fullName.split(/\s+/);
  const core = tokens.filter((t) => t !== 'بن' && t !== 'بنت');
  if (core.length !== 4) return undefined;
  const female = tokens.includes('بنت') || (!lookup(MALE_NAMES, core[0]!) && !!lookup(FEMALE_NAMES, core[0]!));
  const parts = [
    lookup(female ? FEMALE_NAMES : MALE_NAMES, core[0]!) ?? lookup(FEMALE_NAMES, core[0]!),
    lookup(MALE_NAMES, core[1]!),
    lookup(MALE_NAMES, core[2]!),
    lookup(FAMILY_NAMES, core[3]!),
  ];
  return parts.every(Boolean) ? { parts: parts as NameEntry[], female } : undefined;
}

const dropHamza = (w: string) => w.replace(/^[أإآ]/, 'ا');
const taToHa = (w: string) => w.replace(/ة$/, 'ه');
const splitAbd = (w: string) => w.replace(/^عبد(?=ال)/, 'عبد ');
/** Typists often swap a final ى and ي ("موسي", "الغامدى"); both are read the same. */
const swapFinalYa = (w: string) => (w.endsWith('ى') ? `${w.slice(0, -1)}ي` : w.endsWith('ي') ? `${w.slice(0, -1)}ى` : w);

/** Every Arabic spelling from the combinations of the spelling habits above. */
export function arabicSpellings(fullName: string, random: Random): NameSpelling[] {
  const parsed = parseArabic(fullName);
  if (!parsed) return genericArabicSpellings(fullName);
  const { parts, female } = parsed;
  const out: NameSpelling[] = [];
  for (const partCount of [4, 3, 2])
    for (const bin of partCount > 2 ? [false, true] : [false])
      for (const article of [true, false])
        for (let written = 0; written < 8; written++) {
          const family = parts[3]![0];
          if (!article && !family.startsWith('ال')) continue;
          const fix = (w: string) => {
            let s = w;
            if (written & 1) s = taToHa(dropHamza(s));
            if (written & 2) s = splitAbd(s);
            if (written & 4) s = swapFinalYa(s);
            return s;
          };
          const personal = parts.slice(0, partCount - 1).map((p) => fix(p[0]));
          const familyText = fix(article ? family : family.replace(/^ال/, ''));
          out.push({
            fullName: `${linkWithBin(personal, female, bin, 'بن', 'بنت')} ${familyText}`,
            fullNameLatin: latinSpelling(parts.slice(0, partCount - 1), parts[3]!, female, bin, random),
            audible: `${bin}|${partCount}|${article}`,
          });
        }
  return out;
}

/** "نورة بنت عبدالله بن سعد": only the first link is the daughter's بنت. */
function linkWithBin(personal: string[], female: boolean, bin: boolean, son: string, daughter: string): string {
  if (!bin) return personal.join(' ');
  return personal.map((p, i) => (i === 0 ? p : `${i === 1 && female ? daughter : son} ${p}`)).join(' ');
}

function latinSpelling(personalParts: NameEntry[], family: NameEntry, female: boolean, bin: boolean, random: Random): string {
  const alt = (e: NameEntry) => random.pick(e.slice(1) as string[]);
  const linked = linkWithBin(personalParts.map(alt), female, bin, 'bin', 'bint');
  return `${linked} ${latinFamily(family, alt(family), random.pick(['Al-', 'Al ', 'Al'] as const))}`;
}

/** For names from elsewhere: only the spelling habits that need no knowledge of the parts. */
function genericArabicSpellings(fullName: string): NameSpelling[] {
  const words = fullName.split(/\s+/);
  const variants = [
    words.map(dropHamza).join(' '),
    words.map(taToHa).join(' '),
    words.map(splitAbd).join(' '),
    words.map((w, i) => (i === words.length - 1 ? w.replace(/^ال/, '') : w)).join(' '),
    words.filter((w) => w !== 'بن').join(' '),
  ];
  return variants.map((fullName, i) => ({ fullName, audible: String(i) }));
}

/** English spellings: given name or nickname, with or without middle initial, "Last, First", capitals. */
export function englishSpellings(fullName: string, random: Random): NameSpelling[] {
  const m = /^(\S+)(?: ([A-Z])\.)? (.+)$/.exec(fullName);
  if (!m) return [{ fullName: fullName.toUpperCase(), audible: 'upper' }];
  const [, given, initial, surname] = m as unknown as [string, string, string | undefined, string];
  const entry = [...MALE_GIVEN, ...FEMALE_GIVEN].find((e) => e[0] === given);
  const givens = entry ? [...entry] : [given];
  const middle = initial ?? random.pick(MIDDLE_INITIALS);
  const out: NameSpelling[] = [];
  for (const g of givens)
    for (const withInitial of [false, true]) {
      const first = withInitial ? `${g} ${middle}.` : g;
      // Surname-first and capitals are how billing systems and exports print the same person.
      for (const text of [`${first} ${surname}`, `${surname}, ${first}`]) {
        out.push({ fullName: text, audible: g }, { fullName: text.toUpperCase(), audible: g });
      }
    }
  return out;
}
