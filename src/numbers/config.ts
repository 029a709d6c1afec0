// The numbers' part of the one configuration schema (src/config.ts spreads `numbersEnv` into it),
// so a bad value stops start-up with a line naming the setting.
import { z } from 'zod';
import type { NumberType } from './provider.ts';
import { parseApiOverride } from './twilio/override.ts';
import type { PriceTableEntry } from './twilio/price-table.ts';

/** A SID per country (`SA:BU…,US:BU…`), or one bare SID for every country. */
export interface CountrySids {
  byCountry: Readonly<Record<string, string>>;
  fallback?: string;
}

export interface NumbersConfig {
  burnInDays: number;
  /** A number with more hits than this during burn-in is retired without ever being planted. */
  burnInMaxHits: number;
  controlShare: number;
  quarantineDays: number;
  apiOverride?: string;
  voiceFallbackUrl?: string;
  bundleSids: CountrySids;
  addressSids: CountrySids;
  /** Ask pricing.twilio.com; off when TWILIO_API_OVERRIDE redirects Twilio but not its pricing API. */
  pricingApi: boolean;
  /** NUMBER_PRICES: the simulated provider's prices, and Twilio's fallback. */
  prices?: PriceTableEntry[];
  lookupDailyBudget: number;
  /** null: no cap. */
  monthlyBudget: number | null;
  costConfirmThreshold: number;
}

/** An empty value (`NAME=` in .env) means unset, never 0 or "". */
const unsetIfBlank = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(unsetIfBlank, schema.optional());

function countrySids(prefix: 'BU' | 'AD') {
  const sid = new RegExp(`^${prefix}[0-9a-fA-F]{32}$`);
  return optional(z.string()).transform((value, ctx): CountrySids => {
    const out: { byCountry: Record<string, string>; fallback?: string } = { byCountry: {} };
    for (const part of (value ?? '').split(',').map((p) => p.trim()).filter(Boolean)) {
      const m = /^(?:([A-Za-z]{2}):)?(\S+)$/.exec(part);
      const country = m?.[1]?.toUpperCase();
      if (!m || !sid.test(m[2]!) || (country ? country in out.byCountry : out.fallback !== undefined)) {
        ctx.addIssue({ code: 'custom', message: `"${part}" is not ${prefix} followed by 32 hex digits, optionally after COUNTRY: (once each)` });
        continue;
      }
      if (country) out.byCountry[country] = m[2]!;
      else out.fallback = m[2]!;
    }
    return out;
  });
}

const priceEntry = z
  .string()
  .regex(/^[A-Za-z]{2}:(local|mobile|toll-free):\d+(\.\d+)?:[A-Z]{3}$/, 'expected COUNTRY:type:price:CURRENCY, e.g. US:local:1.15:USD')
  .transform((part): PriceTableEntry => {
    const [country, type, price, currency] = part.split(':') as [string, NumberType, string, string];
    return { country: country.toUpperCase(), type, price: Number(price), currency };
  });

export const numbersEnv = {
  BURN_IN_DAYS: z.preprocess(unsetIfBlank, z.coerce.number().min(0).max(365).default(14)),
  BURN_IN_MAX_HITS: z.preprocess(unsetIfBlank, z.coerce.number().int().min(0).max(100_000).default(3)),
  CONTROL_SHARE: z.preprocess(unsetIfBlank, z.coerce.number().min(0).max(0.9).default(0.1)),
  RELEASE_QUARANTINE_DAYS: z.preprocess(unsetIfBlank, z.coerce.number().min(0).max(3650).default(30)),
  TWILIO_API_OVERRIDE: optional(z.string()).superRefine((value, ctx) => {
    try {
      parseApiOverride(value);
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: (err as Error).message.replace(/^TWILIO_API_OVERRIDE /, '') });
    }
  }),
  TWILIO_VOICE_FALLBACK_URL: optional(z.url({ protocol: /^https?$/, error: 'must be an absolute http(s) URL' })),
  TWILIO_BUNDLE_SID: countrySids('BU'),
  TWILIO_ADDRESS_SID: countrySids('AD'),
  TWILIO_PRICING_API: z.preprocess(unsetIfBlank, z.enum(['auto', 'true', 'false']).default('auto')),
  NUMBER_PRICES: optional(z.string())
    .transform((v) => v?.split(',').map((p) => p.trim()).filter(Boolean))
    .pipe(z.array(priceEntry).optional()),
  LOOKUP_DAILY_BUDGET: z.preprocess(unsetIfBlank, z.coerce.number().int().min(0).max(10_000_000).default(100)),
  NUMBERS_MONTHLY_BUDGET: optional(z.coerce.number().min(0)),
  /** A provisioning or campaign whose numbers cost more than this a month must be confirmed (--yes, confirmCost). */
  COST_CONFIRM_THRESHOLD: z.preprocess(unsetIfBlank, z.coerce.number().min(0).default(100)),
};

type NumbersEnv = z.infer<z.ZodObject<typeof numbersEnv>>;

export function numbersConfig(e: NumbersEnv): NumbersConfig {
  const overrides = parseApiOverride(e.TWILIO_API_OVERRIDE);
  const pricingApi = e.TWILIO_PRICING_API === 'auto' ? overrides.size === 0 || overrides.has('pricing') : e.TWILIO_PRICING_API === 'true';
  return {
    burnInDays: e.BURN_IN_DAYS,
    burnInMaxHits: e.BURN_IN_MAX_HITS,
    controlShare: e.CONTROL_SHARE,
    quarantineDays: e.RELEASE_QUARANTINE_DAYS,
    apiOverride: e.TWILIO_API_OVERRIDE,
    voiceFallbackUrl: e.TWILIO_VOICE_FALLBACK_URL,
    bundleSids: e.TWILIO_BUNDLE_SID,
    addressSids: e.TWILIO_ADDRESS_SID,
    pricingApi,
    prices: e.NUMBER_PRICES,
    lookupDailyBudget: e.LOOKUP_DAILY_BUDGET,
    monthlyBudget: e.NUMBERS_MONTHLY_BUDGET ?? null,
    costConfirmThreshold: e.COST_CONFIRM_THRESHOLD,
  };
}

export const sidFor = (sids: CountrySids, country: string): string | undefined =>
  sids.byCountry[country.toUpperCase()] ?? sids.fallback;
