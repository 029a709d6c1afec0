import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import querystring from 'node:querystring';
import twilio from 'twilio';
import { isValidUtf8 } from '../text/unicode.ts';

export type FormParams = Record<string, string | string[]>;

/**
 * Decodes an application/x-www-form-urlencoded body as Twilio sends it. A key sent twice keeps
 * every value (as an array), so the signature check sees exactly what was signed.
 */
export function parseForm(body: string, maxParams: number): FormParams | null {
  const out: FormParams = Object.create(null);
  let n = 0;
  for (const [k, v] of new URLSearchParams(body)) {
    if (++n > maxParams) return null;
    const prev = out[k];
    out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}

/** A Twilio signature is base64 of an HMAC-SHA1: 28 characters. Anything else cannot match any variant. */
const SIGNATURE_SHAPE = /^[A-Za-z0-9+/]{27}=$/;
export const plausibleSignature = (signature: string | undefined): signature is string =>
  signature !== undefined && SIGNATURE_SHAPE.test(signature);

/**
 * The twilio SDK's own signature check. The common case — the URL exactly as configured — is one
 * HMAC with the SDK's helper. When that fails, the URL forms the SDK's validateRequest would try
 * (with or without the port, normalised, legacy query escapes) are tried too, but each distinct
 * form once: the SDK computes all six even when they are the same string, and a forged request
 * must cost as little as a genuine one. A signature that is not 28 base64 characters costs none.
 */
export function isTwilioSigned(authToken: string, signature: string | undefined, url: string, params: FormParams): boolean {
  if (!plausibleSignature(signature)) return false;
  const given = Buffer.from(signature);
  const matches = (candidate: string) => {
    const expected = Buffer.from(twilio.getExpectedTwilioSignature(authToken, candidate, params as Record<string, any>));
    return given.length === expected.length && timingSafeEqual(given, expected);
  };
  if (matches(url)) return true;
  return urlVariants(url).some(matches);
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

/** Percent-decodes one form component of a latin1-read body to the bytes it stands for ('+' is a space). */
function unescapeBuffer(part: string): Buffer {
  const out = Buffer.alloc(part.length);
  let n = 0;
  for (let i = 0; i < part.length; i++) {
    const c = part.charCodeAt(i);
    const hex = c === 0x25 ? part.slice(i + 1, i + 3) : '';
    if (/^[0-9a-fA-F]{2}$/.test(hex)) {
      out[n++] = parseInt(hex, 16);
      i += 2;
    } else out[n++] = c === 0x2b ? 0x20 : c;
  }
  return out.subarray(0, n);
}

/**
 * A form body is UTF-8 when its bytes are and every percent-escape decodes to UTF-8. URLSearchParams
 * would quietly put U+FFFD in place of a bad byte, so this is asked before anything is trusted.
 */
export function isUtf8Form(body: Buffer): boolean {
  if (!isValidUtf8(body)) return false;
  for (const part of body.toString('latin1').split('&')) {
    if (part.includes('%') && !isValidUtf8(unescapeBuffer(part))) return false;
  }
  return true;
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
