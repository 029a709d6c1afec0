// The generator's settings, checked once at construction so a bad setting fails before anything
// is generated or planted. Each failure names the setting the user must fix.
import { z } from 'zod';
import { IdentityError } from './errors.ts';
import { LOCALES, type Locale } from './types.ts';

export interface FieldFormat {
  /** e.g. "10########" or "MTR-####-##": # a digit, A an uppercase letter, anything else literal. */
  pattern?: string;
  length?: number;
  /** Fixed leading characters; with a pattern they overwrite its first slots. */
  prefix?: string;
  /** The last character is a check digit over every digit before it. */
  checkDigit?: 'luhn' | 'mod11' | 'none';
}

export interface UtilityFormats {
  accountNumber?: FieldFormat;
  premiseId?: FieldFormat;
  meterSerial?: FieldFormat;
}

export interface ServiceArea {
  /** City names, Arabic or Latin (ar-SA), or "City" / "City, ST" (en-US). */
  cities?: string[];
  /** ar-SA: district names (Arabic or Latin). en-US: ZIP codes. */
  districts?: string[];
}

export interface IdentityGeneratorOptions {
  locale: Locale;
  /** Same seed → same sequence of outputs. Omitted → a random seed. */
  seed?: number;
  formats?: UtilityFormats;
  serviceArea?: ServiceArea;
  /** ar-SA: the reserved block of national IDs canaries may use (inclusive, 10 digits each). */
  nationalIdRange?: { from: string; to: string };
  /** Clock for ticket createdAt; defaults to the system clock. */
  now?: () => Date;
  /** IANA zone for working hours; defaults to Asia/Riyadh (ar-SA) or America/New_York (en-US). */
  timeZone?: string;
  /** How many days back a ticket may be dated: a few for a new complaint (default 4), hundreds for sample history. */
  ticketWindowDays?: number;
  /**
   * 'never': personas carry no landline. A drawn landline is a real-looking fixed number the tracer
   * does not hold: whoever calls it reaches a stranger and the tracer hears nothing.
   */
  landline?: 'sometimes' | 'never';
}

const fieldFormatSchema = z.strictObject({
  pattern: z.string().optional(),
  length: z.number().int().positive().max(64).optional(),
  prefix: z.string().optional(),
  checkDigit: z.enum(['luhn', 'mod11', 'none']).optional(),
});

const nationalIdSchema = z.string().regex(/^[12]\d{9}$/, 'must be 10 digits starting with 1 or 2');

const optionsSchema = z.object({
  locale: z.enum(LOCALES),
  seed: z.number().int().optional(),
  formats: z
    .strictObject({
      accountNumber: fieldFormatSchema.optional(),
      premiseId: fieldFormatSchema.optional(),
      meterSerial: fieldFormatSchema.optional(),
    })
    .optional(),
  serviceArea: z
    .object({ cities: z.array(z.string().min(1)).optional(), districts: z.array(z.string().min(1)).optional() })
    .optional(),
  nationalIdRange: z
    .object({ from: nationalIdSchema, to: nationalIdSchema })
    .refine((r) => r.from <= r.to, 'from must not be after to')
    .optional(),
  now: z.function().optional(),
  timeZone: z.string().refine(isKnownTimeZone, 'unknown time zone').optional(),
  ticketWindowDays: z.number().int().min(1).max(3660).optional(),
  landline: z.enum(['sometimes', 'never']).optional(),
});

function isKnownTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Which error code a failing option path maps to: the first path segment picks it. */
const CODE_BY_SETTING: Record<string, string> = {
  locale: 'unknown-locale',
  seed: 'invalid-seed',
  now: 'invalid-clock',
  formats: 'invalid-format',
  serviceArea: 'invalid-service-area',
  nationalIdRange: 'invalid-national-id-range',
  timeZone: 'invalid-time-zone',
  ticketWindowDays: 'invalid-options',
  landline: 'invalid-options',
};

export function parseOptions(input: unknown): IdentityGeneratorOptions {
  const result = optionsSchema.safeParse(input);
  if (result.success) return input as IdentityGeneratorOptions;
  const issue = result.error.issues[0]!;
  const setting = issue.path.map(String).join('.') || 'options';
  const code = CODE_BY_SETTING[String(issue.path[0])] ?? 'invalid-options';
  const detail =
    code === 'unknown-locale'
      ? `unknown locale ${JSON.stringify((input as { locale?: unknown })?.locale)}; use one of ${LOCALES.join(', ')}`
      : issue.message;
  throw new IdentityError(code, `${setting}: ${detail}`, setting);
}
