// Which provider the tracer talks to: Twilio when TWILIO_ACCOUNT_SID is set, else the simulator,
// which is handed back the numbers the store holds (its own state dies with the process).
import type { NumbersConfig } from './config.ts';
import type { NumberProvider, OwnedNumber, WebhookUrls } from './provider.ts';
import type { HeldBrief, NumberRepository } from './repository.ts';
import { SimulatedProvider, type RestoredNumbers } from './simulated-provider.ts';
import { expectedWebhooks } from './terms.ts';
import { createTwilioClient } from './twilio/client.ts';
import { TwilioProvider } from './twilio/provider.ts';

export interface ProviderConfig {
  publicBaseUrl: string;
  twilioAccountSid?: string;
  twilioAuthToken: string;
  simNumberRanges: Array<{ country: string; from: string; to: string }>;
  numbers: NumbersConfig;
}

export function createNumberProvider(config: ProviderConfig, repo: NumberRepository, clock: () => Date): NumberProvider {
  if (config.twilioAccountSid) {
    const client = createTwilioClient({
      accountSid: config.twilioAccountSid,
      authToken: config.twilioAuthToken,
      apiOverride: config.numbers.apiOverride,
    });
    return new TwilioProvider({ client, pricingApi: config.numbers.pricingApi, priceTable: config.numbers.prices ?? [] });
  }
  const webhooks = Object.freeze(expectedWebhooks(config.publicBaseUrl, config.numbers.voiceFallbackUrl));
  return new SimulatedProvider({
    ranges: config.simNumberRanges,
    ...(config.numbers.prices ? { prices: config.numbers.prices } : {}),
    // Regulatory bundles are Twilio's rule, proven against its contract; the simulator is for the
    // demo and offline work, where a Saudi canary must not need a bundle SID nobody has.
    bundleRequiredCountries: [],
    restored: restoredNumbers(repo, webhooks),
    now: clock,
  });
}

/** Numbers minted before the simulator kept sids get a stable one from their phone number. */
const legacySid = (phoneNumber: string) => `PN${Buffer.from(phoneNumber).toString('hex').padEnd(32, '0').slice(0, 32)}`;

/**
 * The numbers the store holds, as the simulator's account: looked up by key when asked, listed a
 * page at a time. Nothing is copied at start-up, so memory does not grow with the pool.
 */
function restoredNumbers(repo: NumberRepository, webhooks: WebhookUrls): RestoredNumbers {
  const owned = (r: HeldBrief | undefined): OwnedNumber | undefined => r && ({
    providerSid: r.provider_sid ?? legacySid(r.phone_number), phoneNumber: r.phone_number, friendlyName: r.friendly_name ?? '', webhooks: { ...webhooks },
  });
  return {
    byPhone: (phone) => owned(repo.heldBrief('phone', phone)),
    bySid: (sid) => owned(repo.heldBrief('sid', sid)) ?? legacyBySid(sid),
    page: (cursor, limit) => {
      const rows = repo.heldBriefPage(cursor, limit);
      return { numbers: rows.map((r) => owned(r)!), next: rows.length < limit ? null : rows.at(-1)!.rowid_ };
    },
  };
  function legacyBySid(sid: string): OwnedNumber | undefined {
    if (!/^PN[0-9a-f]{32}$/.test(sid)) return undefined;
    const phone = Buffer.from(sid.slice(2).replace(/(00)+$/, ''), 'hex').toString();
    const n = owned(repo.heldBrief('phone', phone));
    return n && n.providerSid === sid ? n : undefined;
  }
}
