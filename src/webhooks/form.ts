import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import twilio from 'twilio';

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

/**
 * The twilio SDK's own signature check. The common case — the URL exactly as configured — is one
 * HMAC with the SDK's helper; only when that fails does the SDK's full validateRequest try the
 * variants Twilio may have signed (with or without the port, escaped forms).
 */
export function isTwilioSigned(authToken: string, signature: string | undefined, url: string, params: FormParams): boolean {
  if (!signature) return false;
  const expected = Buffer.from(twilio.getExpectedTwilioSignature(authToken, url, params as Record<string, any>));
  const given = Buffer.from(signature);
  if (given.length === expected.length && timingSafeEqual(given, expected)) return true;
  return twilio.validateRequest(authToken, signature, url, params as Record<string, any>);
}

export class BodyTooLarge extends Error {}

/** Reads the raw body up to `limit` bytes, as UTF-8 (what Twilio sends). */
export function readBody(req: IncomingMessage, limit: number): Promise<string> {
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
    req.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.once('error', reject);
  });
}
