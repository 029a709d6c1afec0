// Utility field formats (account number, premise id, meter serial): compile a declared format
// into slots once, then draw values from it. A format that cannot yield varied values fails at
// construction, naming the setting, rather than producing lookalike or duplicate ids later.
import { luhnCheckDigit, mod11CheckDigit } from './checksums.ts';
import { IdentityError } from './errors.ts';
import type { FieldFormat, UtilityFormats } from './options.ts';
import type { Random } from './random.ts';
import { containsTellWord } from './tells.ts';
import type { Locale } from './types.ts';

export type FormatField = keyof UtilityFormats;
export const FORMAT_FIELDS: readonly FormatField[] = ['accountNumber', 'premiseId', 'meterSerial'];

type Slot = { kind: 'digit' } | { kind: 'letter' } | { kind: 'literal'; char: string };

export interface CompiledFormat {
  slots: Slot[];
  checkDigit: 'luhn' | 'mod11' | 'none';
  /** How many distinct values the free slots can take (capped; used to detect exhaustion). */
  capacity: number;
}

/** Fixed leading digits keep ids from starting with 0 and look like a utility's own series. */
export const DEFAULT_FORMATS: Record<Locale, Required<UtilityFormats>> = {
  'ar-SA': {
    accountNumber: { pattern: '30########', checkDigit: 'luhn' },
    premiseId: { pattern: '7#########' },
    meterSerial: { pattern: 'AA########', prefix: 'SW' },
  },
  'en-US': {
    accountNumber: { pattern: '########-##', prefix: '4', checkDigit: 'mod11' },
    premiseId: { pattern: '#########', prefix: '6' },
    meterSerial: { pattern: '##########', prefix: '8' },
  },
};

export function compileFormat(format: FieldFormat, setting: string): CompiledFormat {
  const fail = (why: string): never => {
    throw new IdentityError('invalid-format', `${setting}: ${why}`, setting);
  };
  const prefix = format.prefix ?? '';
  let pattern = format.pattern;
  if (pattern === undefined) {
    if (format.length === undefined) fail('give a pattern or a length');
    pattern = prefix + '#'.repeat(Math.max(0, format.length! - prefix.length));
  }
  if (pattern.length === 0) fail('the pattern is empty');
  if (format.length !== undefined && format.length !== pattern.length) {
    fail(`the pattern has ${pattern.length} characters but length is ${format.length}`);
  }
  const slots: Slot[] = [...pattern].map((c) =>
    c === '#' ? { kind: 'digit' } : c === 'A' ? { kind: 'letter' } : { kind: 'literal', char: c },
  );
  [...prefix].forEach((char, i) => {
    const slot = slots[i];
    if (!slot) return fail(`the prefix "${prefix}" is longer than the pattern`);
    const fits = slot.kind === 'literal' ? slot.char === char : slot.kind === 'digit' ? /\d/.test(char) : /[A-Z]/.test(char);
    if (!fits) fail(`the prefix "${prefix}" does not fit the pattern "${pattern}"`);
    slots[i] = { kind: 'literal', char };
  });
  const checkDigit = format.checkDigit ?? 'none';
  if (checkDigit !== 'none' && slots.at(-1)?.kind !== 'digit') fail('a check digit needs a # as the last character');
  const free = checkDigit === 'none' ? slots : slots.slice(0, -1);
  const capacity = free.reduce((n, s) => n * (s.kind === 'digit' ? 10 : s.kind === 'letter' ? 26 : 1), 1);
  if (capacity === 1) fail('the pattern is all literal: every value would be the same');
  const literalText = slots.map((s) => (s.kind === 'literal' ? s.char : ' ')).join('');
  if (containsTellWord(literalText)) fail('its fixed text reads as a word that would give the record away');
  return { slots, checkDigit, capacity: Math.min(capacity, Number.MAX_SAFE_INTEGER) };
}

/** Draws enough to pass rare mod-11 gaps and tell-spelling letters; more misses mean a broken format. */
const DRAW_TRIES = 1000;

/** Draws one value; redraws the rare body whose mod-11 check is impossible or that spells a tell. */
export function drawValue(format: CompiledFormat, random: Random, setting: string): string {
  for (let i = 0; i < DRAW_TRIES; i++) {
    const chars = format.slots.map((s) =>
      s.kind === 'literal' ? s.char : s.kind === 'digit' ? String(random.int(0, 9)) : String.fromCharCode(65 + random.int(0, 25)),
    );
    if (format.checkDigit !== 'none') {
      const body = chars.slice(0, -1).join('').replace(/\D/g, '');
      const check = format.checkDigit === 'luhn' ? luhnCheckDigit(body) : mod11CheckDigit(body);
      if (check === undefined) continue;
      chars[chars.length - 1] = check;
    }
    const value = chars.join('');
    if (!containsTellWord(value)) return value;
  }
  throw new IdentityError('invalid-format', `${setting}: the format yields no usable value`, setting);
}
