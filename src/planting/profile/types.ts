// A target's profile: what the tracer learned of its real rows, column by column — shapes and
// distributions, never a value that could identify a record. One zod schema checks a stored
// profile on load (a profile that fails it is not used) and gives the types.
import { z } from 'zod';

/** A category label or a phone prefix is kept only when at least this many sampled rows share it. */
export const MIN_SHARED = 5;
/** A column needs this many non-null sampled values before anything is learned from it. */
export const MIN_ROWS = 30;

const share = z.record(z.string(), z.number().min(0).max(1));
const quantiles = z.array(z.number()).length(21);

export const phoneShape = z.strictObject({
  country: z.enum(['SA', 'US']),
  /** '#' per digit, separators as written: "##########", "### ### ####", "+############". */
  mask: z.string().max(40),
  /** How the digits start: trunk 0 (0551234567), bare national, country code, 00 + country code. */
  form: z.enum(['trunk', 'bare', 'cc', '00cc']),
  /** Share of each leading national digit pair (SA operators 50, 55, ...) or area code (US). */
  prefixes: share,
});

export const dateShape = z.strictObject({
  layout: z.enum(['date', 'iso-offset', 'space-offset', 'space', 'iso-z']),
  /** The modal UTC offset as written (minutes), null when values carry none. */
  offsetMinutes: z.number().int().nullable(),
  hours: z.array(z.number()).length(24),
  weekdays: z.array(z.number()).length(7),
  months: z.array(z.number()).length(12),
  /** Days before the newest sampled value, at the 0, 5, ..., 100th percentiles. */
  ageDays: quantiles,
});

export const codeShape = z.strictObject({
  /** The identities' format language: # digit, A letter, literals as written. */
  pattern: z.string().max(64),
  prefix: z.string().max(16).optional(),
  checkDigit: z.enum(['luhn', 'mod11', 'none']),
  /** counter: a prefix and a number that rises row after row (T100500, T100501); random: drawn. */
  sequence: z.enum(['auto-increment', 'counter', 'random']),
  counter: z.strictObject({ prefix: z.string().max(16), width: z.number().int(), medianGap: z.number() }).optional(),
});

export const columnProfile = z.strictObject({
  table: z.string(),
  column: z.string(),
  /** The mapping expression that feeds it (what the canary would write). */
  source: z.string(),
  rows: z.number().int(),
  nullRate: z.number().min(0).max(1),
  kind: z.enum(['phone', 'datetime', 'date', 'number', 'category', 'code', 'text', 'key', 'unknown']),
  length: z.strictObject({ min: z.number(), max: z.number(), mean: z.number(), sd: z.number() }),
  phone: phoneShape.optional(),
  date: dateShape.optional(),
  code: codeShape.optional(),
  number: z.strictObject({ integer: z.boolean(), quantiles }).optional(),
  category: z.strictObject({ shares: share, otherShare: z.number() }).optional(),
  text: z.strictObject({ words: z.strictObject({ mean: z.number(), sd: z.number() }) }).optional(),
  /** Too few rows, or nothing learnable: declared formats apply to this column. */
  note: z.string().optional(),
});

export const targetProfile = z.strictObject({
  target: z.string(),
  learnedAt: z.string(),
  /** sha256 of the live schema of the mapped tables when learned: a profile of another schema is refused. */
  schemaHash: z.string(),
  rowsPerTable: z.record(z.string(), z.number().int()),
  columns: z.array(columnProfile),
});

export type PhoneShape = z.infer<typeof phoneShape>;
export type DateShape = z.infer<typeof dateShape>;
export type CodeShape = z.infer<typeof codeShape>;
export type ColumnProfile = z.infer<typeof columnProfile>;
export type TargetProfile = z.infer<typeof targetProfile>;

/** What a target hands the learner: each mapped column's sampled values, oldest row first. */
export interface ColumnSample {
  table: string;
  column: string;
  source: string;
  /** The table's own key column, and whether the database generates it. */
  isKey: boolean;
  generated: boolean;
  values: unknown[];
}

export interface TargetSample {
  schemaHash: string;
  rowsPerTable: Record<string, number>;
  columns: ColumnSample[];
}
