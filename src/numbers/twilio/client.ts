// Builds the twilio SDK client. The SDK's own RequestClient does the HTTP; we only redirect
// `https://<subdomain>.twilio.com/...` to a stand-in (Prism, a fake) when TWILIO_API_OVERRIDE
// names that subdomain, so tests exercise the real SDK's request building end to end.
import twilio from 'twilio';
import type SdkRequestClient from 'twilio/lib/base/RequestClient.js';
import type * as SdkResponseModule from 'twilio/lib/http/response.js';
import { z } from 'zod';
import { parseApiOverride, type ApiOverrides } from './override.ts';

export { parseApiOverride, type ApiOverrides };

type SdkResponse<T> = SdkResponseModule.default<T>;

export const DEFAULT_TWILIO_TIMEOUT_MS = 10_000;

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
