// The alerts' part of the one configuration schema (src/config.ts spreads `alertsEnv` into it).
// SMTP credentials live only here, from the environment; they never reach the store or a log.
import { z } from 'zod';
import { parseAllowlist, type OutboundAllowlist } from '../outbound/policy.ts';

export interface SmtpConfig {
  host: string;
  port: number;
  /** true: TLS from the first byte (465); false: STARTTLS, required unless SMTP_REQUIRE_TLS=false. */
  secure: boolean;
  requireTls: boolean;
  rejectUnauthorized: boolean;
  user?: string;
  password?: string;
  from: string;
}

export interface AlertsConfig {
  allowlist: OutboundAllowlist;
  timeoutMs: number;
  maxResponseBytes: number;
  /** Default throttle window per (output, canary) and (output, party); an output may set its own; 0 = none. */
  throttleMinutes: number;
  /** Consecutive failures after which an output is disabled until an admin enables it again. */
  disableAfterFailures: number;
  retryBaseMs: number;
  retryMaxMs: number;
  smtp: SmtpConfig | null;
  /** The Twilio sender (number or MG… messaging service) for SMS alerts. */
  smsFrom?: string;
}

const unsetIfBlank = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(unsetIfBlank, schema.optional());
const num = (min: number, max: number, dflt: number) => z.preprocess(unsetIfBlank, z.coerce.number().min(min).max(max).default(dflt));
const bool = (dflt: 'true' | 'false') => z.preprocess(unsetIfBlank, z.enum(['true', 'false']).default(dflt));

export const alertsEnv = {
  OUTBOUND_ALLOWLIST: optional(z.string()).superRefine((value, ctx) => {
    try {
      parseAllowlist(value);
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: (err as Error).message.replace(/^OUTBOUND_ALLOWLIST: /, '') });
    }
  }),
  OUTBOUND_TIMEOUT_MS: num(100, 60_000, 5_000),
  OUTBOUND_MAX_RESPONSE_BYTES: num(1_024, 10_000_000, 65_536),
  ALERT_THROTTLE_MINUTES: num(0, 10_080, 10),
  ALERT_DISABLE_AFTER_FAILURES: num(1, 1_000, 5),
  ALERT_RETRY_BASE_MS: num(10, 600_000, 2_000),
  ALERT_RETRY_MAX_MS: num(10, 3_600_000, 300_000),
  SMTP_HOST: optional(z.string()),
  SMTP_PORT: num(1, 65_535, 587),
  SMTP_SECURE: bool('false'),
  SMTP_REQUIRE_TLS: bool('true'),
  SMTP_TLS_REJECT_UNAUTHORIZED: bool('true'),
  SMTP_USER: optional(z.string()),
  SMTP_PASSWORD: optional(z.string()),
  SMTP_FROM: optional(z.string().email('must be an e-mail address')),
  ALERT_SMS_FROM: optional(z.string().regex(/^(\+[1-9]\d{7,14}|MG[0-9a-fA-F]{32})$/, 'must be an E.164 number or an MG… messaging service SID')),
};

type AlertsEnv = z.infer<z.ZodObject<typeof alertsEnv>>;

export function alertsConfig(e: AlertsEnv): AlertsConfig {
  return {
    allowlist: parseAllowlist(e.OUTBOUND_ALLOWLIST),
    timeoutMs: e.OUTBOUND_TIMEOUT_MS,
    maxResponseBytes: e.OUTBOUND_MAX_RESPONSE_BYTES,
    throttleMinutes: e.ALERT_THROTTLE_MINUTES,
    disableAfterFailures: Math.round(e.ALERT_DISABLE_AFTER_FAILURES),
    retryBaseMs: e.ALERT_RETRY_BASE_MS,
    retryMaxMs: e.ALERT_RETRY_MAX_MS,
    smtp: e.SMTP_HOST
      ? {
          host: e.SMTP_HOST, port: e.SMTP_PORT, secure: e.SMTP_SECURE === 'true', requireTls: e.SMTP_REQUIRE_TLS === 'true',
          rejectUnauthorized: e.SMTP_TLS_REJECT_UNAUTHORIZED === 'true', user: e.SMTP_USER, password: e.SMTP_PASSWORD,
          from: e.SMTP_FROM ?? `tracer@${e.SMTP_HOST}`,
        }
      : null,
    smsFrom: e.ALERT_SMS_FROM,
  };
}
