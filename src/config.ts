import path from 'node:path';
import { z } from 'zod';
import { AppError, describeIssues } from './errors.ts';
import { loadTargetsFile, type ResolvedTarget } from './planting/settings.ts';
import { numbersConfig, numbersEnv, type NumbersConfig } from './numbers/config.ts';
import { alertsConfig, alertsEnv, type AlertsConfig } from './alerts/config.ts';

// All configuration comes from the environment through this one schema, checked at start-up.
const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  PUBLIC_BASE_URL: z.url().optional(),
  TRACER_DB: z.string().min(1).default('./data/tracer.db'),
  UTILITY_DB: z.string().min(1).default('./data/utility-sample.db'),
  UTILITY_SAMPLE_CUSTOMERS: z.coerce.number().int().min(0).max(1_000_000).default(1200),
  TWILIO_ACCOUNT_SID: z.string().regex(/^AC[0-9a-fA-F]{32}$/, 'must look like AC followed by 32 hex digits').optional(),
  TWILIO_AUTH_TOKEN: z.string().min(16, 'must be at least 16 characters'),
  DEFAULT_LOCALE: z.enum(['ar-SA', 'en-US']).default('ar-SA'),
  /** See SIMULATED_RANGE_PRESETS: 'spread' (default) or 'safe', or COUNTRY:+from-+to,... */
  SIM_NUMBER_RANGES: z.string().default('spread'),
  VOICE_GREETING: z.string().max(500).optional(),
  VOICE_RECORD: z.enum(['true', 'false']).default('false'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** JSON file naming the utility's systems canaries are planted into (see README, Targets). */
  TARGETS_FILE: z.string().min(1).optional(),
  /** Evidence anchoring: the instance's Ed25519 key and the signed checkpoints, both outside the store. */
  INSTANCE_KEY_FILE: z.string().min(1).optional(),
  EVIDENCE_CHECKPOINT_FILE: z.string().min(1).optional(),
  EVIDENCE_CHECKPOINT_MINUTES: z.coerce.number().min(0).max(10_080).default(60),
  /** Burn-in, controls, quarantine, Twilio overrides, bundles, budgets: see src/numbers/config.ts. */
  ...numbersEnv,
  /** Outbound allow-list, throttle, retries, SMTP, SMS sender: see src/alerts/config.ts. */
  ...alertsEnv,
});

export interface NumberRange {
  country: string;
  from: string;
  to: string;
}

export interface Config {
  port: number;
  host: string;
  publicBaseUrl: string;
  tracerDb: string;
  utilityDb: string;
  utilitySampleCustomers: number;
  twilioAccountSid?: string;
  twilioAuthToken: string;
  defaultLocale: 'ar-SA' | 'en-US';
  simNumberRanges: NumberRange[];
  voiceGreeting?: string;
  voiceRecord: boolean;
  logLevel: string;
  /** Targets from TARGETS_FILE, secrets read from the variables it names; utility-sample always exists besides. */
  targets: ResolvedTarget[];
  numbers: NumbersConfig;
  alerts: AlertsConfig;
  evidence: { keyFile: string; checkpointFile: string; checkpointMinutes: number };
}

/**
 * The simulated provider's numbers. 'safe': only NANP 555-0100..0199, reserved for fiction in every
 * area code, so no one can own them (no such block exists for Saudi Arabia: Saudi canaries are
 * refused). 'spread' (default): the same US blocks plus a block in every Saudi operator prefix, so
 * demo canaries spread like real customers; those Saudi numbers may be someone's, which is why
 * simulated numbers are for demos and tests only.
 */
export const SIMULATED_RANGE_PRESETS: Record<string, string> = {
  safe: ['202', '212', '305', '312', '415', '512', '617', '713'].map((a) => `US:+1${a}5550100-+1${a}5550199`).join(','),
  spread: [
    ...['50381', '53274', '54556', '55193', '56447', '57118', '58662', '59330'].map((b) => `SA:+966${b}0000-+966${b}9999`),
    ...['202', '212', '305', '312', '415', '512', '617', '713'].map((a) => `US:+1${a}5550100-+1${a}5550199`),
  ].join(','),
};

export function parseNumberRanges(spec: string): NumberRange[] {
  return (SIMULATED_RANGE_PRESETS[spec.trim()] ?? spec).split(',').map((part) => {
    const m = /^\s*([A-Z]{2}):(\+\d{8,15})-(\+\d{8,15})\s*$/.exec(part);
    if (!m || m[2]!.length !== m[3]!.length || BigInt(m[2]!) > BigInt(m[3]!)) {
      throw new AppError('invalid-config', `SIM_NUMBER_RANGES: "${part}" is not COUNTRY:+from-+to`);
    }
    return { country: m[1]!, from: m[2]!, to: m[3]! };
  });
}

/** `NAME=` (set but empty, as env files and service managers write it) means unset, for every setting. */
const withoutBlanks = (env: NodeJS.ProcessEnv) =>
  Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ''));

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(withoutBlanks(env));
  if (!parsed.success) {
    throw new AppError('invalid-config', `configuration: ${describeIssues(parsed.error.issues)}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    publicBaseUrl: (e.PUBLIC_BASE_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
    tracerDb: e.TRACER_DB,
    utilityDb: e.UTILITY_DB,
    utilitySampleCustomers: e.UTILITY_SAMPLE_CUSTOMERS,
    twilioAccountSid: e.TWILIO_ACCOUNT_SID,
    twilioAuthToken: e.TWILIO_AUTH_TOKEN,
    defaultLocale: e.DEFAULT_LOCALE,
    simNumberRanges: parseNumberRanges(e.SIM_NUMBER_RANGES),
    voiceGreeting: e.VOICE_GREETING,
    voiceRecord: e.VOICE_RECORD === 'true',
    logLevel: e.LOG_LEVEL,
    targets: e.TARGETS_FILE ? loadTargetsFile(e.TARGETS_FILE, env) : [],
    numbers: numbersConfig(e),
    alerts: alertsConfig(e),
    evidence: {
      keyFile: e.INSTANCE_KEY_FILE ?? path.join(path.dirname(e.TRACER_DB), 'instance-key.pem'),
      checkpointFile: e.EVIDENCE_CHECKPOINT_FILE ?? path.join(path.dirname(e.TRACER_DB), 'evidence-checkpoints.jsonl'),
      checkpointMinutes: e.EVIDENCE_CHECKPOINT_MINUTES,
    },
  };
}
