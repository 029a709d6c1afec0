import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { sidFor } from '../../src/numbers/config.ts';

const base = { TWILIO_AUTH_TOKEN: 'config-test-token-0123456789' };
const BU_SA = `BU${'a'.repeat(32)}`;
const BU_ANY = `BU${'b'.repeat(32)}`;
const AD_US = `AD${'c'.repeat(32)}`;

describe('numbers configuration', () => {
  it('when nothing is set, then the defaults hold: 14-day burn-in, 3 hits, a tenth controls, 30-day quarantine, no budget cap', () => {
    expect(loadConfig(base).numbers).toMatchObject({
      burnInDays: 14, burnInMaxHits: 3, controlShare: 0.1, quarantineDays: 30, lookupDailyBudget: 100, monthlyBudget: null, pricingApi: true,
    });
  });

  it('when bundle and address SIDs are given per country, then each country gets its own and a bare SID covers the rest', () => {
    const { numbers } = loadConfig({ ...base, TWILIO_BUNDLE_SID: `SA:${BU_SA},${BU_ANY}`, TWILIO_ADDRESS_SID: `us:${AD_US}` });

    expect(sidFor(numbers.bundleSids, 'SA')).toBe(BU_SA);
    expect(sidFor(numbers.bundleSids, 'US')).toBe(BU_ANY);
    expect(sidFor(numbers.addressSids, 'US')).toBe(AD_US);
    expect(sidFor(numbers.addressSids, 'SA')).toBeUndefined();
  });

  it('when TWILIO_API_OVERRIDE redirects Twilio without a pricing= pair, then the pricing API is not asked', () => {
    expect(loadConfig({ ...base, TWILIO_API_OVERRIDE: 'api=http://127.0.0.1:4010' }).numbers.pricingApi).toBe(false);
    expect(loadConfig({ ...base, TWILIO_API_OVERRIDE: 'api=http://127.0.0.1:4010,pricing=http://127.0.0.1:4012' }).numbers.pricingApi).toBe(true);
    expect(loadConfig({ ...base, TWILIO_PRICING_API: 'false' }).numbers.pricingApi).toBe(false);
  });

  it('when a value is left empty in .env, then it counts as unset, not as zero', () => {
    expect(loadConfig({ ...base, NUMBERS_MONTHLY_BUDGET: '', BURN_IN_DAYS: ' ' }).numbers).toMatchObject({ monthlyBudget: null, burnInDays: 14 });
  });

  it.each([
    ['BURN_IN_DAYS', '-1'],
    ['BURN_IN_MAX_HITS', '1.5'],
    ['CONTROL_SHARE', '2'],
    ['RELEASE_QUARANTINE_DAYS', 'soon'],
    ['TWILIO_API_OVERRIDE', 'api=ftp://127.0.0.1:4010'],
    ['TWILIO_VOICE_FALLBACK_URL', 'not a url'],
    ['TWILIO_BUNDLE_SID', 'SA:BU-not-a-sid'],
    ['TWILIO_ADDRESS_SID', `SA:${BU_SA}`],
    ['NUMBER_PRICES', 'US:local:cheap:USD'],
    ['LOOKUP_DAILY_BUDGET', '-5'],
    ['NUMBERS_MONTHLY_BUDGET', 'lots'],
  ])('when %s is %s, then start-up fails naming the setting', (name, value) => {
    expect(() => loadConfig({ ...base, [name]: value })).toThrow(new RegExp(`^configuration: .*${name}`));
  });
});
