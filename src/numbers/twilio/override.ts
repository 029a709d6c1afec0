// TWILIO_API_OVERRIDE, parsed without loading the twilio SDK: configuration is read by every
// command, most of which never talk to Twilio.
import { z } from 'zod';

/** Subdomain (e.g. "api", "lookups", "pricing") → base URL that replaces `https://<subdomain>.twilio.com`. */
export type ApiOverrides = ReadonlyMap<string, URL>;

const subdomainSchema = z
  .string()
  .regex(/^[a-z][a-z0-9-]*$/, 'subdomain must be a Twilio host label such as "api" or "lookups"');

const baseUrlSchema = z
  .url({ protocol: /^https?$/, error: 'base URL must be an absolute http(s) URL' })
  .transform((value) => new URL(value))
  .refine((url) => url.search === '' && url.hash === '', 'base URL must not carry a query or fragment')
  .refine((url) => url.username === '' && url.password === '', 'base URL must not carry credentials');

const pairSchema = z
  .string()
  .transform((pair) => {
    const at = pair.indexOf('=');
    return at < 0 ? [pair, ''] : [pair.slice(0, at).trim(), pair.slice(at + 1).trim()];
  })
  .pipe(z.tuple([subdomainSchema, baseUrlSchema]));

const overrideSchema = z
  .string()
  .transform((value) => value.split(',').map((pair) => pair.trim()).filter((pair) => pair !== ''))
  .pipe(z.array(pairSchema))
  .refine(
    (pairs) => new Set(pairs.map(([subdomain]) => subdomain)).size === pairs.length,
    'each subdomain may appear only once',
  );

/**
 * Parses TWILIO_API_OVERRIDE: comma-separated `subdomain=baseUrl` pairs, e.g.
 * `api=http://127.0.0.1:4010,lookups=http://127.0.0.1:4011`. Unset or blank means no override.
 */
export function parseApiOverride(value: string | undefined): ApiOverrides {
  if (value === undefined || value.trim() === '') return new Map();
  const parsed = overrideSchema.safeParse(value);
  if (!parsed.success) {
    const reasons = parsed.error.issues.map((issue) => issue.message).join('; ');
    throw new Error(
      `TWILIO_API_OVERRIDE is malformed (${reasons}); expected comma-separated subdomain=baseUrl ` +
        'pairs, e.g. api=http://127.0.0.1:4010,lookups=http://127.0.0.1:4011',
    );
  }
  return new Map(parsed.data);
}

