import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import querystring from 'node:querystring';
import { isValidUtf8 } from '../text/unicode.ts';

export type FormParams = Record<string, string | string[]>;

/** ES2024 strings (Node 20): the project's TypeScript lib predates them. */
type WellFormed = string & { isWellFormed(): boolean; toWellFormed(): string };

/**
 * Decodes an application/x-www-form-urlencoded body as Twilio sends it, exactly as WHATWG's
 * URLSearchParams does (checked against it in test/webhooks/form-parse.test.ts) but without its
 * per-character loop: a part with no escape is sliced as it is, which is most of a webhook and
 * all of a padded forgery. A key sent twice keeps every value (as an array), so the signature
 * check sees exactly what was signed. Null when there are more than `maxParams` parameters.
 */
export function parseForm(body: string, maxParams: number): FormParams | null {
  // As URLSearchParams: lone surrogates become U+FFFD, and one leading '?' is not part of the form.
  let text = (body as WellFormed).isWellFormed() ? body : (body as WellFormed).toWellFormed();
  if (text.charCodeAt(0) === 0x3f) text = text.slice(1);
  const out: FormParams = Object.create(null);
  let n = 0;
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('&', start);
    if (end === -1) end = text.length;
    if (end > start) {
      if (++n > maxParams) return null;
      // '=' is looked for in the part only: a search past it would make "a&a&…&a=" quadratic.
      const part = text.slice(start, end);
      const eq = part.indexOf('=');
      const k = decodeComponent(eq === -1 ? part : part.slice(0, eq));
      const v = eq === -1 ? '' : decodeComponent(part.slice(eq + 1));
      const prev = out[k];
      out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
    }
    start = end + 1;
  }
  return out;
}

/** One name or value: '+' is a space; percent-escapes are bytes, read as UTF-8 (U+FFFD for bad ones). */
function decodeComponent(s: string): string {
  if (!s.includes('%')) return s.includes('+') ? s.replaceAll('+', ' ') : s;
  return percentDecode(Buffer.from(s, 'utf8')).toString('utf8');
}

/** A Twilio signature is base64 of an HMAC-SHA1: 28 characters. Anything else cannot match any variant. */
const SIGNATURE_SHAPE = /^[A-Za-z0-9+/]{27}=$/;
export const plausibleSignature = (signature: string | undefined): signature is string =>
  signature !== undefined && SIGNATURE_SHAPE.test(signature);

/**
 * The twilio SDK's signature check (its getExpectedTwilioSignature and validateRequest, which
 * test/webhooks/signature.test.ts checks it against). The common case — the URL exactly as
 * configured — is one HMAC. When that fails, the URL forms the SDK's validateRequest would try
 * (with or without the port, normalised, legacy query escapes) are tried too, but each distinct
 * form once: the SDK computes all six even when they are the same string, and a forged request
 * must cost as little as a genuine one. A signature that is not 28 base64 characters costs none.
 */
export function isTwilioSigned(authToken: string, signature: string | undefined, url: string, params: FormParams): boolean {
  if (!plausibleSignature(signature)) return false;
  const given = Buffer.from(signature);
  // The SDK's getExpectedTwilioSignature signs UTF-8(url + sorted params); the params' part is the
  // same for every URL form, so it is built once and each form costs one HMAC, not a sort and a copy.
  const signed = Buffer.from(signedParams(params), 'utf8');
  const matches = (candidate: string) => {
    const expected = Buffer.from(createHmac('sha1', authToken).update(candidate, 'utf8').update(signed).digest('base64'));
    return given.length === expected.length && timingSafeEqual(given, expected);
  };
  if (matches(url)) return true;
  return urlVariants(url).some(matches);
}

/** As the SDK's getExpectedTwilioSignature after the URL: each key sorted, then its distinct values sorted. */
function signedParams(params: FormParams): string {
  let data = '';
  for (const key of Object.keys(params).sort()) {
    const value = params[key]!;
    if (Array.isArray(value)) for (const v of Array.from(new Set(value)).sort()) data += key + v;
    else data += key + value;
  }
  return data;
}

/** The other URL forms the SDK's validateRequest signs, distinct and without `url` itself; memoised per URL. */
const variantsByUrl = new Map<string, string[]>();
export function urlVariants(url: string): string[] {
  let v = variantsByUrl.get(url);
  if (v) return v;
  let normalized: string | null = null;
  try {
    normalized = new URL(url).toString();
  } catch { /* not a URL: only the as-received forms */ }
  const forms = [removePort(url), addPort(url)];
  if (normalized !== null) {
    const [without, withPort] = [removePort(normalized), addPort(normalized)];
    forms.push(without, withPort, withLegacyQuerystring(without), withLegacyQuerystring(withPort));
  }
  v = [...new Set(forms)].filter((f) => f !== url);
  // Bounded: a flood of forged query strings must not grow it.
  if (variantsByUrl.size >= 256) variantsByUrl.clear();
  variantsByUrl.set(url, v);
  return v;
}

// As the SDK's webhooks.js (splitUrl, addPort, removePort, withLegacyQuerystring), which it does
// not export: the URL split without normalising, so the path keeps the characters Twilio signed.
function splitUrl(url: string) {
  const m = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)/i.exec(url);
  if (!m) return null;
  const [prefix, scheme, authority] = m as unknown as [string, string, string];
  const userInfoEnd = authority.lastIndexOf('@');
  const hostAndPort = authority.slice(userInfoEnd + 1);
  const portStart = hostAndPort.indexOf(':', hostAndPort.lastIndexOf(']') + 1);
  return {
    scheme, userInfo: authority.slice(0, userInfoEnd + 1),
    host: portStart === -1 ? hostAndPort : hostAndPort.slice(0, portStart),
    port: portStart === -1 ? '' : hostAndPort.slice(portStart), rest: url.slice(prefix.length),
  };
}

function addPort(url: string): string {
  const p = splitUrl(url);
  if (!p || p.port) return url;
  return p.scheme + p.userInfo + p.host + (p.scheme.toLowerCase() === 'https://' ? ':443' : ':80') + p.rest;
}

function removePort(url: string): string {
  const p = splitUrl(url);
  return p ? p.scheme + p.userInfo + p.host + p.rest : url;
}

function withLegacyQuerystring(url: string): string {
  const q = url.indexOf('?');
  if (q === -1 || q === url.length - 1) return url;
  return `${url.slice(0, q)}?${querystring.stringify(querystring.parse(url.slice(q + 1)))}`;
}

const HEX = new Int8Array(256).fill(-1);
for (let i = 0; i < 16; i++) HEX['0123456789abcdef'.charCodeAt(i)] = HEX['0123456789ABCDEF'.charCodeAt(i)] = i;

/**
 * Percent-decodes form bytes to the bytes they stand for (a bad escape stays as it is); '+' is a
 * space unless `plus` is false. Runs between escapes are copied whole, not byte by byte.
 */
function percentDecode(src: Uint8Array, plus = true): Buffer {
  const out = Buffer.allocUnsafe(src.length);
  let n = 0;
  let i = 0;
  while (i < src.length) {
    const pct = src.indexOf(0x25, i);
    const stop = pct === -1 ? src.length : pct;
    if (plus) {
      for (; i < stop; i++) out[n++] = src[i] === 0x2b ? 0x20 : src[i]!;
    } else {
      out.set(src.subarray(i, stop), n);
      n += stop - i;
      i = stop;
    }
    if (pct === -1) break;
    const hi = pct + 2 < src.length ? HEX[src[pct + 1]!]! : -1;
    const lo = hi >= 0 ? HEX[src[pct + 2]!]! : -1;
    if (lo >= 0) {
      out[n++] = (hi << 4) | lo;
      i = pct + 3;
    } else {
      out[n++] = 0x25;
      i = pct + 1;
    }
  }
  return out.subarray(0, n);
}

/** Percent-decodes one form component of a latin1-read body to the bytes it stands for. */
const unescapeBuffer = (part: string): Buffer => percentDecode(Buffer.from(part, 'latin1'));

/**
 * A form body is UTF-8 when its bytes are and every percent-escape decodes to UTF-8. URLSearchParams
 * would quietly put U+FFFD in place of a bad byte, so this is asked before anything is trusted.
 * The body is decoded whole, not part by part: '&' and '=' are ASCII, so a sequence cut by one is
 * invalid either way, and a body with no '%' needs no decoding at all.
 */
export function isUtf8Form(body: Buffer): boolean {
  if (!isValidUtf8(body)) return false;
  return body.indexOf(0x25) === -1 || isValidUtf8(percentDecode(body, false));
}

/**
 * Twilio's signature over the bytes as sent, for a body that is not UTF-8: the SDK can only sign
 * strings, and decoding first would change what was signed. Same algorithm (URL, then each key
 * sorted with its distinct values sorted, HMAC-SHA1, base64), on bytes. Exact URL only.
 */
export function isTwilioSignedBytes(authToken: string, signature: string | undefined, url: string, body: Buffer): boolean {
  if (!plausibleSignature(signature)) return false;
  const byKey = new Map<string, { key: Buffer; values: Buffer[] }>();
  for (const part of body.toString('latin1').split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const key = unescapeBuffer(eq < 0 ? part : part.slice(0, eq));
    const value = unescapeBuffer(eq < 0 ? '' : part.slice(eq + 1));
    const entry = byKey.get(key.toString('latin1')) ?? { key, values: [] };
    if (!entry.values.some((v) => v.equals(value))) entry.values.push(value);
    byKey.set(key.toString('latin1'), entry);
  }
  const chunks: Buffer[] = [Buffer.from(url, 'utf8')];
  for (const { key, values } of [...byKey.values()].sort((a, b) => Buffer.compare(a.key, b.key))) {
    for (const v of values.sort(Buffer.compare)) chunks.push(key, v);
  }
  const expected = Buffer.from(createHmac('sha1', authToken).update(Buffer.concat(chunks)).digest('base64'));
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export class BodyTooLarge extends Error {}

/** Reads the raw body up to `limit` bytes, as sent: decoding is the caller's decision. */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        reject(new BodyTooLarge());
        return;
      }
      chunks.push(chunk);
    });
    req.once('end', () => resolve(Buffer.concat(chunks)));
    req.once('error', reject);
  });
}

/**
 * Reads a body past without keeping it (a forgery's): resolves with its size, or with `limit + 1`
 * as soon as it passes the limit (the rest is still drained, so the connection stays usable).
 */
export function discardBody(req: IncomingMessage, limit: number): Promise<number> {
  return new Promise((resolve, reject) => {
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) resolve(limit + 1); // answered now; the rest drains into nothing
    });
    req.once('end', () => resolve(Math.min(size, limit + 1)));
    req.once('error', reject);
  });
}
