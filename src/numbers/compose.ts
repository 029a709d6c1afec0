// Which provider the tracer talks to: Twilio when TWILIO_ACCOUNT_SID is set, else the simulator,
// which is handed back the numbers the store holds (its own state dies with the process).
import type { NumbersConfig } from './config.ts';
import type { NumberProvider } from './provider.ts';
import type { NumberRepository } from './repository.ts';
import { SimulatedProvider } from './simulated-provider.ts';
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
  const webhooks = expectedWebhooks(config.publicBaseUrl, config.numbers.voiceFallbackUrl);
  const owned = repo.held().map((n) => ({
    // Numbers minted before the simulator kept sids get a stable one from their phone number.
    providerSid: n.providerSid ?? `PN${Buffer.from(n.phoneNumber).toString('hex').padEnd(32, '0').slice(0, 32)}`,
    phoneNumber: n.phoneNumber,
    friendlyName: n.friendlyName ?? '',
    webhooks: { ...webhooks },
  }));
  return new SimulatedProvider({
    ranges: config.simNumberRanges,
    ...(config.numbers.prices ? { prices: config.numbers.prices } : {}),
    // Regulatory bundles are Twilio's rule, proven against its contract; the simulator is for the
    // demo and offline work, where a Saudi canary must not need a bundle SID nobody has.
    bundleRequiredCountries: [],
    owned,
    now: clock,
  });
}
