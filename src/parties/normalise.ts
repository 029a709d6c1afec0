// Tolerant text keys for grouping callers and matching quoted variants. Caller names arrive as the
// caller chose to write them: "محمد", "مُحمّد", "MOHAMMED", "Muhammad" are one name. Two keys:
//  - normaliseText: case, spacing, Arabic letter variants (أ/إ/آ/ٱ→ا, ى→ي, ة→ه, ؤ→و, ئ→ي), tatweel and
//    diacritics removed, Arabic-Indic and Persian digits → Latin digits.
//  - nameSkeleton: a consonant skeleton common to Arabic script and its Latin transliterations
//    (table below: one Latin letter per Arabic consonant, vowels and ʿayn/hamza dropped, doubled
//    letters collapsed), so "محمد", "Mohammed" and "Muhammad" all read "mhmd".
// No npm package transliterates Arabic to a phonetic key (the translit packages on npm are
// Cyrillic, Indic or "to ASCII" tables that spell محمد as "mhmd" only by accident), hence the table.

const DIACRITICS = /[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]/g; // harakat, shadda, sukun, superscript alef, tatweel
const LETTERS: Record<string, string> = { 'أ': 'ا', 'إ': 'ا', 'آ': 'ا', 'ٱ': 'ا', 'ى': 'ي', 'ة': 'ه', 'ؤ': 'و', 'ئ': 'ي', 'ک': 'ك', 'ی': 'ي' };

export function normaliseDigits(s: string): string {
  return s.replace(/[\u0660-\u0669]/g, (d) => String(d.charCodeAt(0) - 0x0660)).replace(/[\u06f0-\u06f9]/g, (d) => String(d.charCodeAt(0) - 0x06f0));
}

export function normaliseText(s: string): string {
  return normaliseDigits(s.normalize('NFKC'))
    .replace(DIACRITICS, '')
    .replace(/[أإآٱىةؤئکی]/g, (c) => LETTERS[c]!)
    .normalize('NFD').replace(/[\u0300-\u036f]/g, '') // Latin accents
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** Arabic consonant → the Latin letter its common transliterations start with ('' for vowels, ʿayn, hamza). */
const AR_TO_LATIN: Record<string, string> = {
  'ا': '', 'ء': '', 'ع': '', 'و': 'w', 'ي': 'y', 'ب': 'b', 'ت': 't', 'ث': 't', 'ج': 'j', 'ح': 'h', 'خ': 'k', 'د': 'd', 'ذ': 'd',
  'ر': 'r', 'ز': 'z', 'س': 's', 'ش': 's', 'ص': 's', 'ض': 'd', 'ط': 't', 'ظ': 'z', 'غ': 'g', 'ف': 'f', 'ق': 'k', 'ك': 'k',
  'ل': 'l', 'م': 'm', 'ن': 'n', 'ه': 'h',
};
/** Latin spellings folded to the same letters: digraphs first, then q→k, c→k, x→ks, v→f, e/o/u/i/a dropped. */
const LATIN_FOLDS: Array<[RegExp, string]> = [
  [/kh/g, 'k'], [/sh/g, 's'], [/th/g, 't'], [/dh/g, 'd'], [/gh/g, 'g'], [/ph/g, 'f'], [/ch/g, 's'],
  [/q/g, 'k'], [/c/g, 'k'], [/x/g, 'ks'], [/v/g, 'f'], [/p/g, 'b'], [/'/g, ''],
];

/**
 * A skeleton per word, words joined by a space ("al"/"ال" kept as part of the word it starts, as
 * both scripts write it). w and y are kept only at the start of a word: elsewhere they are vowels.
 */
export function nameSkeleton(name: string): string {
  return normaliseText(name).split(' ').filter(Boolean).map(wordSkeleton).filter((w) => w.length > 0).join(' ');
}

function wordSkeleton(word: string): string {
  let s = word;
  for (const [re, to] of LATIN_FOLDS) s = s.replace(re, to); // Latin digraphs first: Arabic letters map to one letter each
  s = [...s].map((c) => (c in AR_TO_LATIN ? AR_TO_LATIN[c]! : c)).join('');
  const head = s.slice(0, 1);
  const tail = s.slice(1).replace(/[aeiouwy]/g, '');
  s = (/[aeiou]/.test(head) ? '' : head) + tail;
  return s.replace(/(.)\1+/g, '$1').replace(/(?<=.)h$/, ''); // final ة/h: "Fatima" and "فاطمة" alike
}

/** The key two callers' names must share to be one name: the skeleton with word breaks removed ("عبد الله" = "Abdullah"). */
export const nameKey = (name: string): string => nameSkeleton(name).replace(/ /g, '');
