import { isUtf8 } from 'node:buffer';
import { z } from 'zod';
import { AppError } from '../errors.ts';

// Text from outside is hostile. Three rules, one place:
// - bytes must be valid UTF-8 (a decoder that silently substitutes U+FFFD changes evidence);
// - names staff choose refuse control characters and bidi overrides (a channel name that
//   reorders a report line is a forgery of the report);
// - text callers choose is kept as sent, and neutralised wherever a person reads it.

/** C0 (except TAB, LF, CR), DEL, C1, line/paragraph separators, bidi embeddings/overrides/isolates. */
const CONTROL_OR_BIDI = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;
const CONTROL_OR_BIDI_ALL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu;
const LONE_SURROGATE = /\p{Surrogate}/u;
const NAME_FORBIDDEN = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;

export const invalidEncoding = (where: string) =>
  new AppError('invalid-encoding', `${where} is not valid UTF-8`, 400);

/** True when the bytes decode as UTF-8 with no substitution. */
export const isValidUtf8 = (buf: Uint8Array): boolean => isUtf8(buf);

/** A JS string that came from JSON may still hold a lone surrogate ("\ud800"): not text. */
export const isWellFormedText = (s: string): boolean => !LONE_SURROGATE.test(s);

/** For express.json({ verify }): refuse bodies that are not UTF-8 before the parser papers over them. */
export function requireUtf8Body(_req: unknown, _res: unknown, buf: Buffer): void {
  if (!isValidUtf8(buf)) throw invalidEncoding('the request body');
}

/**
 * A name staff choose (channel, label, campaign): one line, printable, no bidi overrides, no lone
 * surrogates. LRM/RLM/ALM marks are allowed — Arabic names need them and they reorder nothing.
 */
export const staffName = (max = 200) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine((s) => !NAME_FORBIDDEN.test(s) && isWellFormedText(s), 'must not contain control characters or bidi overrides');

/** A one-line value staff type (a routing value), kept exactly as typed: no trim, may be empty. */
export const staffLine = (max = 200) =>
  z.string().max(max).refine((s) => !NAME_FORBIDDEN.test(s) && isWellFormedText(s), 'must not contain control characters or bidi overrides');

/** Longer text staff write (a description): line breaks and tabs allowed, nothing else invisible. */
export const staffText = (max = 2000) =>
  z.string().max(max).refine((s) => !CONTROL_OR_BIDI.test(s) && isWellFormedText(s), 'must not contain control characters or bidi overrides');

/**
 * What a terminal, a CSV cell or a log line shows of caller text: every control and bidi
 * character made visible as <U+XXXX>, lone surrogates as <U+FFFD>. The stored value is untouched.
 */
export function neutralise(s: string | null | undefined): string {
  if (s === null || s === undefined) return '';
  return s
    .replace(CONTROL_OR_BIDI_ALL, (ch) => `<U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}>`)
    .replace(/\p{Surrogate}/gu, '<U+FFFD>');
}

/**
 * JSON that is safe to print to a terminal and is still the same JSON: JSON.stringify escapes C0
 * but leaves C1, bidi controls and separators raw, so those are escaped as \uXXXX here.
 */
export function terminalJson(value: unknown, indent = 2): string {
  return JSON.stringify(value, null, indent || undefined).replace(
    /[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]|\p{Surrogate}/gu,
    (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** Thrown from inside JSON.parse, where body-parser strips an error's own fields: the class survives. */
export class NotUtf8Text extends Error {}

/** For express.json({ reviver }): "\ud800" is valid JSON but not text; refuse it where it lands. */
export function refuseLoneSurrogates(key: string, value: unknown): unknown {
  if ((typeof value === 'string' && !isWellFormedText(value)) || !isWellFormedText(key)) {
    throw new NotUtf8Text('a string in the request body holds a lone surrogate');
  }
  return value;
}

/**
 * Percent-escapes in the URL must decode to UTF-8: node's query parser would substitute U+FFFD
 * for `%FF` and carry on. Runs before the routes; the path is decoded (and refused) by the router.
 */
export function refuseMalformedUrl(req: { url?: string }, _res: unknown, next: (err?: unknown) => void): void {
  const url = req.url ?? '';
  const q = url.indexOf('?');
  try {
    if (q >= 0) decodeURIComponent(url.slice(q + 1).replace(/\+/g, ' '));
  } catch {
    return next(new AppError('invalid-encoding', 'the URL holds malformed or non-UTF-8 percent-encoding', 400));
  }
  next();
}
