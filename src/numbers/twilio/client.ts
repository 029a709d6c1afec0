// Builds the twilio SDK client. The SDK's own RequestClient does the HTTP; we only redirect
// `https://<subdomain>.twilio.com/...` to a stand-in (Prism, a fake) when TWILIO_API_OVERRIDE
// names that subdomain, so tests exercise the real SDK's request building end to end.
import twilio from 'twilio';
import type SdkRequestClient from 'twilio/lib/base/RequestClient.js';
import type * as SdkResponseModule from 'twilio/lib/http/response.js';
import { z } from 'zod';

type SdkResponse<T> = SdkResponseModule.default<T>;

/** Subdomain (e.g. "api", "lookups", "pricing") → base URL that replaces `https://<subdomain>.twilio.com`. */
export type ApiOverrides = ReadonlyMap<string, URL>;

export const DEFAULT_TWILIO_TIMEOUT_MS = 10_000;

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

const TWILIO_HOST = /^([a-z0-9-]+)\.(?:[a-z0-9-]+\.)*twilio\.com$/i;

/**
 * The URL a request should really go to. Only `https://<subdomain>[.edge.region].twilio.com`
 * with an overridden subdomain changes; path and query are kept, prefixed by any base path.
 */
export function rewriteTwilioUrl(uri: string, overrides: ApiOverrides): string {
  if (overrides.size === 0) return uri;
  const url = new URL(uri);
  const subdomain = url.protocol === 'https:' ? TWILIO_HOST.exec(url.hostname)?.[1] : undefined;
  const base = subdomain === undefined ? undefined : overrides.get(subdomain.toLowerCase());
  if (base === undefined) return uri;
  const basePath = base.pathname.replace(/\/+$/, '');
  return `${base.origin}${basePath}${url.pathname}${url.search}`;
}

/**
 * The SDK's RequestClient, redirected per TWILIO_API_OVERRIDE. Stand-ins such as Prism answer
 * rejected requests with an RFC 7807 problem document that has no Twilio `message`; we fold its
 * title, detail and validation messages into one so the resulting error says why.
 */
export class OverridingRequestClient extends twilio.RequestClient {
  readonly overrides: ApiOverrides;

  constructor(overrides: ApiOverrides, options: SdkRequestClient.RequestClientOptions = {}) {
    super(options);
    this.overrides = overrides;
  }

  override async request<TData>(opts: SdkRequestClient.RequestOptions<TData>): Promise<SdkResponse<TData>> {
    const uri = rewriteTwilioUrl(opts.uri, this.overrides);
    const response = await super.request({ ...opts, uri });
    if (uri === opts.uri || response.statusCode < 400) return response;
    return { ...response, body: withProblemMessage(response.body) } as SdkResponse<TData>;
  }
}

const problemSchema = z.looseObject({
  title: z.string(),
  detail: z.string().optional(),
  message: z.undefined().optional(),
  validation: z.array(z.looseObject({ message: z.string() })).optional(),
});

function withProblemMessage(body: unknown): unknown {
  let parsed: unknown = body;
  if (typeof body === 'string') {
    try {
      parsed = JSON.parse(body);
    } catch {
      return body;
    }
  }
  const problem = problemSchema.safeParse(parsed);
  if (!problem.success) return body;
  const reasons = problem.data.validation?.map((issue) => issue.message).join('; ') || problem.data.detail;
  const message = reasons ? `${problem.data.title}: ${reasons}` : problem.data.title;
  return { ...problem.data, message };
}

export interface TwilioClientOptions {
  accountSid: string;
  authToken: string;
  /** The raw TWILIO_API_OVERRIDE value; the caller reads the environment, not this module. */
  apiOverride?: string;
  timeoutMs?: number;
}

export function createTwilioClient(options: TwilioClientOptions): twilio.Twilio {
  const overrides = parseApiOverride(options.apiOverride);
  // No auto-retry: callers decide whether a provider-unavailable error is worth another try.
  const httpClient = new OverridingRequestClient(overrides, {
    timeout: options.timeoutMs ?? DEFAULT_TWILIO_TIMEOUT_MS,
    autoRetry: false,
  });
  return twilio(options.accountSid, options.authToken, { httpClient });
}
