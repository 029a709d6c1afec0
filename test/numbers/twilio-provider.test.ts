// The real twilio SDK against Prism serving Twilio's own OpenAPI descriptions: Prism rejects any
// request the description does not allow, so these prove the requests are right. Prism answers
// with static examples, so responses are checked for mapping, never for state.
import type RequestClient from 'twilio/lib/base/RequestClient.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProviderError } from '../../src/numbers/twilio/errors.ts';
import { TwilioProvider } from '../../src/numbers/twilio/provider.ts';
import { PRISM_ACCOUNT_SID, startTwilioPrism, twilioClientForPrism, type TwilioPrism } from '../support/prism.ts';

const WEBHOOKS = {
  voiceUrl: 'https://tracer.example.org/twilio/voice',
  smsUrl: 'https://tracer.example.org/twilio/sms',
  statusCallback: 'https://tracer.example.org/twilio/status',
  voiceFallbackUrl: 'https://tracer.example.org/twilio/voice-fallback',
};
const BUNDLE_SID = `BU${'b'.repeat(32)}`;
const ADDRESS_SID = `AD${'c'.repeat(32)}`;
const NUMBER_SID = `PN${'d'.repeat(32)}`;
const ACCOUNT_PATH = `/2010-04-01/Accounts/${PRISM_ACCOUNT_SID}`;

let prism: TwilioPrism;
let provider: TwilioProvider;
let lastRequest: () => NonNullable<RequestClient['lastRequest']>;

beforeAll(async () => {
  prism = await startTwilioPrism();
  const client = twilioClientForPrism(prism);
  provider = new TwilioProvider({ client, pricingApi: false });
  lastRequest = () => {
    const request = client.httpClient.lastRequest;
    if (request === undefined) throw new Error('no request was made');
    return request;
  };
});

afterAll(async () => {
  await prism?.stop();
});

const sent = () => {
  const { method, url, params, data } = lastRequest();
  return { method, path: new URL(url).pathname, params, data };
};

describe('TwilioProvider against Prism', () => {
  it('when searching local numbers by area code and pattern, then Twilio is asked exactly that', async () => {
    const found = await provider.searchAvailable({ country: 'US', type: 'local', areaCode: '415', contains: '55', limit: 5 });

    expect(sent()).toMatchObject({
      method: 'get',
      path: `${ACCOUNT_PATH}/AvailablePhoneNumbers/US/Local.json`,
      params: { AreaCode: 415, Contains: '55', PageSize: 5 },
    });
    expect(found.length).toBeGreaterThan(0);
    for (const number of found) {
      expect(number.phoneNumber).toMatch(/^\+\d{8,15}$/);
      expect(number).toMatchObject({ country: 'US', type: 'local' });
    }
  });

  it.each([
    ['mobile', 'Mobile'],
    ['toll-free', 'TollFree'],
  ] as const)('when searching %s numbers, then the %s resource is used', async (type, resource) => {
    const found = await provider.searchAvailable({ country: 'GB', type, limit: 2 });

    expect(sent().path).toBe(`${ACCOUNT_PATH}/AvailablePhoneNumbers/GB/${resource}.json`);
    expect(found.every((number) => number.type === type)).toBe(true);
  });

  it('when buying a number, then every webhook is POST, and the bundle and address go along', async () => {
    const owned = await provider.purchase({
      phoneNumber: '+14155550100',
      webhooks: WEBHOOKS,
      friendlyName: 'Line 7',
      bundleSid: BUNDLE_SID,
      addressSid: ADDRESS_SID,
    });

    expect(sent()).toMatchObject({ method: 'post', path: `${ACCOUNT_PATH}/IncomingPhoneNumbers.json` });
    expect(sent().data).toEqual({
      PhoneNumber: '+14155550100',
      FriendlyName: 'Line 7',
      BundleSid: BUNDLE_SID,
      AddressSid: ADDRESS_SID,
      VoiceUrl: WEBHOOKS.voiceUrl,
      VoiceMethod: 'POST',
      SmsUrl: WEBHOOKS.smsUrl,
      SmsMethod: 'POST',
      StatusCallback: WEBHOOKS.statusCallback,
      StatusCallbackMethod: 'POST',
      VoiceFallbackUrl: WEBHOOKS.voiceFallbackUrl,
      VoiceFallbackMethod: 'POST',
    });
    expect(owned.providerSid).toMatch(/^PN[0-9a-f]{32}$/);
    expect(owned.phoneNumber).toMatch(/^\+\d+$/);
    expect(owned.webhooks.voiceUrl).toMatch(/^https?:\/\//);
  });

  it('when buying without a fallback, bundle or address, then none is sent', async () => {
    const { voiceFallbackUrl: _unused, ...webhooks } = WEBHOOKS;

    await provider.purchase({ phoneNumber: '+14155550101', webhooks, friendlyName: 'Line 8' });

    expect(Object.keys(sent().data as object).sort()).toEqual(
      ['FriendlyName', 'PhoneNumber', 'SmsMethod', 'SmsUrl', 'StatusCallback', 'StatusCallbackMethod', 'VoiceMethod', 'VoiceUrl'],
    );
  });

  it('when owned numbers are walked a page at a time, then the pages hold what the whole list holds', async () => {
    const pages: string[][] = [];
    for await (const page of provider.ownedPages(50)) pages.push(page.map((n) => n.providerSid));
    expect(sent()).toMatchObject({ method: 'get', path: `${ACCOUNT_PATH}/IncomingPhoneNumbers.json` });
    expect(pages.length).toBeGreaterThan(0);
    expect(pages.flat()).toEqual((await provider.listOwned()).map((n) => n.providerSid));
  });

  it('when listing owned numbers, then each maps to its sid, number and webhooks', async () => {
    const owned = await provider.listOwned();

    expect(sent()).toMatchObject({ method: 'get', path: `${ACCOUNT_PATH}/IncomingPhoneNumbers.json` });
    expect(owned.length).toBeGreaterThan(0);
    for (const number of owned) {
      expect(number.providerSid).toMatch(/^PN/);
      expect(number.webhooks).toEqual(expect.objectContaining({ voiceUrl: expect.any(String), smsUrl: expect.any(String) }));
    }
  });

  it('when updating webhooks, then the number resource gets every URL with POST', async () => {
    const updated = await provider.updateWebhooks(NUMBER_SID, WEBHOOKS);

    expect(sent()).toMatchObject({
      method: 'post',
      path: `${ACCOUNT_PATH}/IncomingPhoneNumbers/${NUMBER_SID}.json`,
      data: { VoiceUrl: WEBHOOKS.voiceUrl, SmsUrl: WEBHOOKS.smsUrl, StatusCallback: WEBHOOKS.statusCallback, VoiceMethod: 'POST' },
    });
    expect(updated.providerSid).toMatch(/^PN/);
  });

  it('when releasing, then the number resource is deleted', async () => {
    await provider.release(NUMBER_SID);

    expect(sent()).toMatchObject({ method: 'delete', path: `${ACCOUNT_PATH}/IncomingPhoneNumbers/${NUMBER_SID}.json` });
  });

  it('when listing calls since a time, then they are filtered by To and StartTime> and come oldest first', async () => {
    const calls = await provider.listCalls('+14155550100', '2008-01-02T00:00:00.000Z');

    expect(sent()).toMatchObject({
      path: `${ACCOUNT_PATH}/Calls.json`,
      params: { To: '+14155550100', 'StartTime>': '2008-01-02T00:00:00Z' },
    });
    expect(calls.length).toBeGreaterThan(0);
    const times = calls.map((call) => call.startTime ?? '');
    expect(times).toEqual([...times].sort());
    for (const call of calls) {
      expect(call.sid).toMatch(/^CA/);
      expect(call.raw).toMatchObject({ sid: call.sid });
      expect(call.durationSeconds === null || Number.isFinite(call.durationSeconds)).toBe(true);
    }
  });

  it('when listing messages with no cursor, then they are filtered by To only', async () => {
    const messages = await provider.listMessages('+14155550100', null);

    expect(sent()).toMatchObject({ path: `${ACCOUNT_PATH}/Messages.json`, params: { To: '+14155550100' } });
    expect(sent().params).not.toHaveProperty('DateSent>');
    expect(messages.length).toBeGreaterThan(0);
    for (const message of messages) {
      expect(message.sid).toMatch(/^(SM|MM)/);
      expect(typeof message.body).toBe('string');
    }
  });

  it('when looking up a caller, then Lookup v2 is asked for caller name and line type', async () => {
    const caller = await provider.lookupCaller('+14159929960');

    const { url, params } = lastRequest();
    expect(new URL(url).pathname).toBe('/v2/PhoneNumbers/+14159929960');
    expect(params).toEqual({ Fields: 'caller_name,line_type_intelligence' });
    expect(caller.phoneNumber).toBe('+14159929960');
    expect(caller.raw).toMatchObject({ phoneNumber: '+14159929960' });
  });
});

describe('requests Prism rejects', () => {
  it('when a bundle sid is malformed, then the purchase fails with a provider error saying why', async () => {
    const buying = provider.purchase({
      phoneNumber: '+14155550100',
      webhooks: WEBHOOKS,
      friendlyName: 'Line 9',
      bundleSid: 'BU-not-a-sid',
    });

    await expect(buying).rejects.toBeInstanceOf(ProviderError);
    await expect(buying).rejects.toMatchObject({ code: 'provider-error', providerStatus: 422 });
    await expect(buying).rejects.toThrow(/BundleSid must match pattern/);
  });

  it('when a number sid is malformed, then the release fails and says which parameter', async () => {
    await expect(provider.release('not-a-sid')).rejects.toMatchObject({
      code: 'provider-error',
      message: expect.stringMatching(/Releasing not-a-sid failed: HTTP 422: .*path parameter sid/),
    });
  });

  it('when a webhook URL is not absolute, then the update is rejected', async () => {
    const updating = provider.updateWebhooks(NUMBER_SID, { ...WEBHOOKS, voiceUrl: '/twilio/voice' });

    await expect(updating).rejects.toMatchObject({ code: 'provider-error', providerStatus: 422 });
  });
});
