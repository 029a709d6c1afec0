// The whole tracer on Twilio's own contract: the real SDK → TWILIO_API_OVERRIDE → Prism serving
// Twilio's OpenAPI descriptions. Prism rejects any request the real API would reject, so these
// prove provisioning, reconcile, backfill listing, look-ups and release send the right requests.
// Prism's answers are static examples: state is checked with the stateful fake, not here.
import request from 'supertest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TwilioProvider } from '../../src/numbers/twilio/provider.ts';
import { PUBLIC_BASE_URL } from '../support/app.ts';
import { FirstPageOnlyRequestClient, PRISM_ACCOUNT_SID, startTwilioPrism, twilioClientForPrism, type TwilioPrism } from '../support/prism.ts';
import { bearer, call } from './support/actions.ts';
import { numbersTestApp, type NumbersTestApp } from './support/app.ts';

const BUNDLE_SA = `BU${'1'.repeat(32)}`;
const BUNDLE_US = `BU${'2'.repeat(32)}`;
const ADDRESS_SA = `AD${'3'.repeat(32)}`;
const FALLBACK = 'https://fallback.example.org/twilio/voice';
const ACCOUNT = `/2010-04-01/Accounts/${PRISM_ACCOUNT_SID}`;
const ENV = {
  TWILIO_ACCOUNT_SID: PRISM_ACCOUNT_SID,
  TWILIO_BUNDLE_SID: `SA:${BUNDLE_SA},US:${BUNDLE_US}`,
  TWILIO_ADDRESS_SID: `SA:${ADDRESS_SA}`,
  TWILIO_VOICE_FALLBACK_URL: FALLBACK,
};

let prism: TwilioPrism;
let app: NumbersTestApp | undefined;
let http: FirstPageOnlyRequestClient;

beforeAll(async () => {
  prism = await startTwilioPrism();
});
afterAll(async () => {
  await prism?.stop();
});
afterEach(async () => {
  await app?.dispose();
  app = undefined;
});

function prismApp(env: Record<string, string> = {}): NumbersTestApp {
  const client = twilioClientForPrism(prism);
  http = client.httpClient as FirstPageOnlyRequestClient;
  app = numbersTestApp({ env: { ...ENV, TWILIO_API_OVERRIDE: prism.apiOverride, ...env }, provider: new TwilioProvider({ client, pricingApi: false }) });
  return app;
}

async function provisionOne(a: NumbersTestApp, body: Record<string, unknown>) {
  const res = await request(a.http).post('/api/v1/numbers').set(bearer(a.tokens.seeder)).send({ count: 1, ...body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.numbers[0] as { id: string; phoneNumber: string; providerSid: string; status: string; friendlyName: string };
}

describe('the tracer on Prism', () => {
  it('when a Saudi mobile number is provisioned, then Twilio is asked with every webhook (POST), the fallback, the Saudi bundle and address, and a plain label', async () => {
    const a = prismApp();

    const bought = await provisionOne(a, { country: 'SA', type: 'mobile' });

    const [search, purchase] = http.sent;
    expect(search).toMatchObject({ method: 'GET', path: `${ACCOUNT}/AvailablePhoneNumbers/SA/Mobile.json` });
    expect(purchase).toMatchObject({ method: 'POST', path: `${ACCOUNT}/IncomingPhoneNumbers.json` });
    expect(purchase!.data).toEqual({
      PhoneNumber: expect.stringMatching(/^\+\d+$/),
      FriendlyName: expect.not.stringMatching(/canary|tracer|trap|leak|test/i),
      BundleSid: BUNDLE_SA,
      AddressSid: ADDRESS_SA,
      VoiceUrl: `${PUBLIC_BASE_URL}/twilio/voice`, VoiceMethod: 'POST',
      SmsUrl: `${PUBLIC_BASE_URL}/twilio/sms`, SmsMethod: 'POST',
      StatusCallback: `${PUBLIC_BASE_URL}/twilio/status`, StatusCallbackMethod: 'POST',
      VoiceFallbackUrl: FALLBACK, VoiceFallbackMethod: 'POST',
    });
    expect(purchase!.data.FriendlyName).toMatch(/^[A-Z][\w.' -]+ (mobile|cell|phone|line|home line|work phone|second line)$/);
    // What is recorded is what Twilio confirmed (Prism's example), not what was asked for.
    expect(bought).toMatchObject({ phoneNumber: '+18089255327', providerSid: `PN${'a'.repeat(32)}`, status: 'burn-in' });
  });

  it('when a US local number is provisioned by area code and pattern, then the US bundle goes along and no address', async () => {
    const a = prismApp();

    await provisionOne(a, { country: 'US', type: 'local', areaCode: '808', contains: '92' });

    expect(http.sent[0]).toMatchObject({ path: `${ACCOUNT}/AvailablePhoneNumbers/US/Local.json`, params: { AreaCode: 808, Contains: '92' } });
    expect(http.sent[1]!.data).toMatchObject({ BundleSid: BUNDLE_US });
    expect(http.sent[1]!.data).not.toHaveProperty('AddressSid');
  });

  it('when synced, then the account is listed, drifted webhooks are updated in a request Twilio accepts, and calls and messages are listed since the cursor', async () => {
    const a = prismApp();
    const bought = await provisionOne(a, { country: 'US' });
    http.sent.length = 0;

    const res = await request(a.http).post('/api/v1/numbers/sync').set(bearer(a.tokens.seeder));

    expect(res.status).toBe(200);
    expect(res.body.reconcile.failures).toEqual([]);
    // Prism's listed number has no voice URL: the tracer puts all of them back.
    expect(res.body.reconcile.webhooksFixed).toEqual([expect.objectContaining({ id: bought.id, was: expect.objectContaining({ voiceUrl: null }) })]);
    const paths = http.sent.map((r) => `${r.method} ${r.path}`);
    expect(paths).toEqual(expect.arrayContaining([
      `GET ${ACCOUNT}/IncomingPhoneNumbers.json`,
      `POST ${ACCOUNT}/IncomingPhoneNumbers/${bought.providerSid}.json`,
      `GET ${ACCOUNT}/Calls.json`,
      `GET ${ACCOUNT}/Messages.json`,
    ]));
    const calls = http.sent.find((r) => r.path.endsWith('/Calls.json'))!;
    expect(calls.params).toEqual({ To: bought.phoneNumber, 'StartTime>': '2026-11-28T08:00:00Z' });
    // Prism's example calls go to other numbers: nothing of theirs is stored as a hit.
    expect(res.body.reconcile.backfilled).toEqual({ calls: 0, messages: 0 });
  });

  it('when a caller rings a number, then the outbox looks the caller up with Lookup v2 and stores line type and carrier', async () => {
    const a = prismApp();
    const bought = await provisionOne(a, { country: 'US' });
    const sid = await call(a, bought.phoneNumber, '+14159929960');

    await a.services.outbox.drain();

    const lookup = http.sent.find((r) => r.path.startsWith('/v2/PhoneNumbers/'))!;
    expect(lookup).toMatchObject({ method: 'GET', path: '/v2/PhoneNumbers/+14159929960', params: { Fields: 'caller_name,line_type_intelligence' } });
    const info = JSON.parse(a.services.db.prepare('SELECT caller_info FROM hits WHERE provider_sid = ?').pluck().get(sid) as string);
    expect(info).toMatchObject({ status: 'found', source: 'lookup' });
  });

  it('when a number is released, then Twilio is asked to delete it and the number is marked released', async () => {
    const a = prismApp();
    const bought = await provisionOne(a, { country: 'US' });

    const res = await request(a.http).post(`/api/v1/numbers/${bought.id}/release`).set(bearer(a.tokens.seeder)).send({});

    expect(http.sent.at(-1)).toMatchObject({ method: 'DELETE', path: `${ACCOUNT}/IncomingPhoneNumbers/${bought.providerSid}.json` });
    expect(res.body).toMatchObject({ status: 'released' });
  });

  it('when TWILIO_ACCOUNT_SID and TWILIO_API_OVERRIDE are set, then createApp talks to Twilio through the SDK, pricing from the configured table', async () => {
    app = numbersTestApp({ env: { ...ENV, TWILIO_API_OVERRIDE: prism.apiOverride, NUMBER_PRICES: 'US:local:1.15:USD' } });

    const bought = await provisionOne(app, { country: 'US' });

    expect(app.services.numberProvider).toBeInstanceOf(TwilioProvider);
    expect(app.services.numberService.providerName).toBe('twilio');
    expect(bought).toMatchObject({ phoneNumber: '+18089255327', monthlyPrice: 1.15, currency: 'USD' });
  });
});
