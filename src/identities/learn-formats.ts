// Learns a target's id formats from a sample of its existing records: the shape only — length,
// shared prefix, character class per position, check digit — never a value. Canaries then carry
// ids that look like the target's own without reusing anyone's.
import { isLuhnValid, isMod11Valid } from './checksums.ts';
import { compileFormat, FORMAT_FIELDS } from './formats.ts';
import type { FieldFormat, UtilityFormats } from './options.ts';

export interface FormatSamples {
  accountNumber: string[];
  premiseId: string[];
  meterSerial: string[];
}

/** Fewer samples than this tell nothing about a shared prefix or a check digit. */
const MIN_SAMPLES_FOR_PREFIX = 3;
const MIN_SAMPLES_FOR_CHECK_DIGIT = 4;

export function learnFormats(samples: Partial<FormatSamples>): UtilityFormats {
  const formats: UtilityFormats = {};
  for (const field of FORMAT_FIELDS) {
    const learned = learnFieldFormat(samples[field] ?? []);
    if (learned) formats[field] = learned;
  }
  return formats;
}

/** undefined when there is nothing to learn from; the locale's default format applies then. */
export function learnFieldFormat(values: readonly string[]): FieldFormat | undefined {
  const trimmed = values.map((v) => v.trim()).filter(Boolean);
  if (trimmed.length === 0) return undefined;
  const length = modalLength(trimmed);
  const same = trimmed.filter((v) => v.length === length);
  const pattern = [...Array(length).keys()].map((i) => classOf(same.map((v) => v[i]!))).join('');
  const prefix = sharedPrefix(same, length);
  const format: FieldFormat = { pattern, ...(prefix ? { prefix } : {}), checkDigit: detectCheckDigit(same) };
  try {
    compileFormat(format, 'learned');
    return format;
  } catch {
    // A prefix that leaves no room (or clashes with a class) is dropped rather than failing.
    return { pattern, checkDigit: format.checkDigit };
  }
}

function modalLength(values: readonly string[]): number {
  const counts = new Map<number, number>();
  for (const v of values) counts.set(v.length, (counts.get(v.length) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || b[0] - a[0])[0]![0];
}

/** # for digits, A for letters, the separator itself where every sample has the same one. */
function classOf(chars: readonly string[]): string {
  const digits = chars.filter((c) => /\d/.test(c)).length;
  const letters = chars.filter((c) => /\p{L}/u.test(c)).length;
  if (digits === 0 && letters === 0) {
    const [first] = chars;
    // '#' and 'A' as literal separators cannot be written in a pattern; treat as a digit slot.
    return chars.every((c) => c === first) && first !== '#' ? first! : '#';
  }
  return digits >= letters ? '#' : 'A';
}

/**
 * The leading characters every sample shares (a utility's series prefix), limited so that at
 * least half the value, and never fewer than four characters, stays drawn.
 */
function sharedPrefix(values: readonly string[], length: number): string {
  if (values.length < MIN_SAMPLES_FOR_PREFIX) return '';
  let shared = 0;
  while (shared < length && values.every((v) => v[shared] === values[0]![shared])) shared++;
  const cap = Math.max(0, length - Math.max(4, Math.ceil(length / 2)));
  const prefix = values[0]!.slice(0, Math.min(shared, cap));
  return /[A-Z0-9]/.test(prefix) ? prefix : '';
}

function detectCheckDigit(values: readonly string[]): FieldFormat['checkDigit'] {
  const digits = values.map((v) => v.replace(/\D/g, ''));
  if (values.length < MIN_SAMPLES_FOR_CHECK_DIGIT || !values.every((v) => /\d$/.test(v))) return 'none';
  if (digits.every(isLuhnValid)) return 'luhn';
  if (digits.every(isMod11Valid)) return 'mod11';
  return 'none';
}
