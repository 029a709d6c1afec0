// What every number is bought with: the tracer's webhook URLs, a label that reads like someone's
// own line, and the regulatory SIDs the country needs.
import { randomInt } from 'node:crypto';
import { Faker, base, en } from '@faker-js/faker';
import { sidFor, type NumbersConfig } from './config.ts';
import type { PurchaseRequest, WebhookUrls } from './provider.ts';

export function expectedWebhooks(publicBaseUrl: string, voiceFallbackUrl?: string): WebhookUrls {
  const base = publicBaseUrl.replace(/\/+$/, '');
  const webhooks: WebhookUrls = {
    voiceUrl: `${base}/twilio/voice`,
    smsUrl: `${base}/twilio/sms`,
    statusCallback: `${base}/twilio/status`,
  };
  if (voiceFallbackUrl) webhooks.voiceFallbackUrl = voiceFallbackUrl;
  return webhooks;
}

/** Which of a number's webhook URLs differ from what they should be: field → what it was. */
export function webhookDrift(actual: WebhookUrls, expected: WebhookUrls): Partial<Record<keyof WebhookUrls, string | null>> {
  const drift: Partial<Record<keyof WebhookUrls, string | null>> = {};
  for (const key of ['voiceUrl', 'smsUrl', 'statusCallback', 'voiceFallbackUrl'] as const) {
    if ((actual[key] || undefined) !== (expected[key] || undefined)) drift[key] = actual[key] || null;
  }
  return drift;
}

const faker = new Faker({ locale: [en, base] });
const LINE_WORDS = ['mobile', 'cell', 'phone', 'line', 'home line', 'work phone', 'second line'];

/**
 * A label like "Dana's cell" or "M. Ortiz line": whoever sees the account's number list (a vendor,
 * a support agent) must not learn that the number is a trap. Never a word about its purpose.
 */
export function personalLineLabel(): string {
  faker.seed(randomInt(2 ** 31));
  const word = faker.helpers.arrayElement(LINE_WORDS);
  return randomInt(2) === 0
    ? `${faker.person.firstName()}'s ${word}`
    : `${faker.person.firstName().charAt(0)}. ${faker.person.lastName()} ${word}`;
}

export function purchaseTerms(config: { publicBaseUrl: string; numbers: NumbersConfig }) {
  const webhooks = expectedWebhooks(config.publicBaseUrl, config.numbers.voiceFallbackUrl);
  return (country: string): Omit<PurchaseRequest, 'phoneNumber'> => {
    const bundleSid = sidFor(config.numbers.bundleSids, country);
    const addressSid = sidFor(config.numbers.addressSids, country);
    return {
      webhooks: { ...webhooks },
      friendlyName: personalLineLabel(),
      ...(bundleSid ? { bundleSid } : {}),
      ...(addressSid ? { addressSid } : {}),
    };
  };
}
