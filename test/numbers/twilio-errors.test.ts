// Answers Prism's static examples cannot give: Twilio's error bodies, silence, lookups with data,
// and the pricing API (which has no OpenAPI description among ours).
import { afterEach, describe, expect, it } from 'vitest';
import { createTwilioClient } from '../../src/numbers/twilio/client.ts';
import { ProviderError } from '../../src/numbers/twilio/errors.ts';
import { TwilioProvider, type TwilioProviderOptions } from '../../src/numbers/twilio/provider.ts';
import { startFakeTwilio, twilioError, type FakeAnswer, type FakeTwilio } from './support/fake-twilio.ts';

const WEBHOOKS = {
  voiceUrl: 'https://tracer.example.org/twilio/voice',
  smsUrl: 'https://tracer.example.org/twilio/sms',
  statusCallback: 'https://tracer.example.org/twilio/status',
};
const PURCHASE = { phoneNumber: '+14155550100', webhooks: WEBHOOKS, friendlyName: 'Line 7' };

let fake: FakeTwilio | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function providerAnswering(
  answer: (path: string) => FakeAnswer,
  options: Partial<TwilioProviderOptions> & { timeoutMs?: number } = {},
): Promise<TwilioProvider> {
  fake = await startFakeTwilio((request) => answer(request.path));
  const base = fake.baseUrl;
  const client = createTwilioClient({
    accountSid: `AC${'1'.repeat(32)}`,
    authToken: 'token',
    apiOverride: `api=${base},lookups=${base},pricing=${base}`,
    timeoutMs: options.timeoutMs ?? 2_000,
  });
  return new TwilioProvider({ client, ...options });
}

describe('Twilio errors become ProviderErrors', () => {
  it.each([
    ['400/21422 number not available', 'number-unavailable', twilioError(400, 21422, 'PhoneNumber requested is not available'), 409],
    ['401/20003 authentication failed', 'bad-credentials', twilioError(401, 20003, 'Authentication Error - invalid username'), 502],
    ['400/21649 bundle not approved', 'bundle-required', twilioError(400, 21649, 'Bundle BU123 status is not twilio-approved'), 422],
    ['400 naming a missing Bundle', 'bundle-required', twilioError(400, 21999, 'This number requires a Bundle to be provisioned'), 422],
    ['503/20503 service unavailable', 'provider-unavailable', twilioError(503, 20503, 'Service unavailable'), 503],
    ['400/21421 invalid number', 'provider-error', twilioError(400, 21421, 'PhoneNumber is invalid'), 502],
  ] as const)('when Twilio answers %s, then the purchase fails with code %s', async (_case, code, answer, httpStatus) => {
    const provider = await providerAnswering(() => answer);

    const error = await provider.purchase(PURCHASE).then(
      () => undefined,
      (caught: unknown) => caught,
    );

    const body = answer.body as { code: number; status: number };
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ code, status: httpStatus, providerStatus: body.status, providerCode: body.code });
    expect((error as ProviderError).message).toContain(`Twilio error ${body.code}`);
    expect((error as ProviderError).moreInfo).toBe(`https://www.twilio.com/docs/errors/${body.code}`);
  });

  it('when Twilio answers 500 without a JSON body, then it is provider-unavailable', async () => {
    const provider = await providerAnswering(() => ({ status: 500 }));

    await expect(provider.listOwned()).rejects.toMatchObject({ code: 'provider-unavailable', providerStatus: 500 });
  });

  it('when Twilio answers an RFC 9457 problem, then its code and title are kept', async () => {
    const provider = await providerAnswering(() => ({
      status: 400,
      body: { type: 'https://www.twilio.com/docs/api/errors/21422', title: 'Number not available', status: 400, code: 21422 },
    }));

    await expect(provider.purchase(PURCHASE)).rejects.toMatchObject({
      code: 'number-unavailable',
      providerCode: 21422,
      message: expect.stringContaining('Twilio error 21422: Number not available'),
    });
  });

  it('when Twilio does not answer in time, then it is provider-unavailable', async () => {
    const provider = await providerAnswering(() => ({ status: 200, hang: true }), { timeoutMs: 200 });

    await expect(provider.listCalls('+14155550100', null)).rejects.toMatchObject({
      code: 'provider-unavailable',
      message: expect.stringContaining('Twilio did not answer'),
    });
  });

  it('when nothing listens, then it is provider-unavailable', async () => {
    const provider = await providerAnswering(() => ({ status: 200 }));
    await fake?.close();

    await expect(provider.release(`PN${'d'.repeat(32)}`)).rejects.toMatchObject({ code: 'provider-unavailable' });
  });
});

describe('Lookup v2 mapping', () => {
  it('when Twilio knows the caller, then name, type, line type and carrier are mapped', async () => {
    const provider = await providerAnswering(() => ({
      status: 200,
      body: {
        phone_number: '+14159929960',
        valid: true,
        caller_name: { caller_name: 'SERGIO SUAREZ', caller_type: 'CONSUMER', error_code: null },
        line_type_intelligence: { type: 'mobile', carrier_name: 'T-Mobile USA, Inc.', error_code: null },
      },
    }));

    const caller = await provider.lookupCaller('+14159929960');

    expect(caller).toMatchObject({
      phoneNumber: '+14159929960',
      callerName: 'SERGIO SUAREZ',
      callerType: 'CONSUMER',
      lineType: 'mobile',
      carrierName: 'T-Mobile USA, Inc.',
    });
    expect(fake?.requests[0]?.query.get('Fields')).toBe('caller_name,line_type_intelligence');
  });
});

describe('monthly price', () => {
  const pricing: FakeAnswer = {
    status: 200,
    body: {
      country: 'United States',
      iso_country: 'US',
      price_unit: 'USD',
      phone_number_prices: [
        { number_type: 'local', base_price: '1.15', current_price: '1.15' },
        { number_type: 'toll free', base_price: '2.15', current_price: '2.00' },
      ],
    },
  };
  const table = [{ country: 'US', type: 'mobile' as const, price: 3, currency: 'USD' }];

  it('when the pricing API prices the type, then its current price is used', async () => {
    const provider = await providerAnswering(() => pricing);

    expect(await provider.monthlyPrice('us', 'local')).toEqual({ price: 1.15, currency: 'USD' });
    expect(await provider.monthlyPrice('US', 'toll-free')).toEqual({ price: 2, currency: 'USD' });
    expect(fake?.requests[0]?.path).toBe('/v1/PhoneNumbers/Countries/US');
  });

  it('when the pricing API does not price the type, then the configured table answers', async () => {
    const provider = await providerAnswering(() => pricing, { priceTable: table });

    expect(await provider.monthlyPrice('US', 'mobile')).toEqual({ price: 3, currency: 'USD' });
  });

  it('when the pricing API is unreachable or does not know the country, then the table or null answers', async () => {
    const down = await providerAnswering(() => ({ status: 503 }), { priceTable: table });
    expect(await down.monthlyPrice('US', 'mobile')).toEqual({ price: 3, currency: 'USD' });
    await fake?.close();

    const unknown = await providerAnswering(() => twilioError(404, 20404, 'The requested resource was not found'));
    expect(await unknown.monthlyPrice('ZZ', 'local')).toBeNull();
  });

  it('when the credentials are bad, then asking for a price fails rather than guessing', async () => {
    const provider = await providerAnswering(() => twilioError(401, 20003, 'Authenticate'), { priceTable: table });

    await expect(provider.monthlyPrice('US', 'mobile')).rejects.toMatchObject({ code: 'bad-credentials' });
  });

  it('when the pricing API is turned off, then only the table is asked', async () => {
    const provider = await providerAnswering(() => pricing, { pricingApi: false, priceTable: table });

    expect(await provider.monthlyPrice('US', 'local')).toBeNull();
    expect(fake?.requests).toHaveLength(0);
  });
});
