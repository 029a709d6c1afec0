import { afterEach, describe, expect, it } from 'vitest';
import { createTwilioClient, parseApiOverride, rewriteTwilioUrl } from '../../src/numbers/twilio/client.ts';
import { startFakeTwilio, type FakeTwilio } from './support/fake-twilio.ts';

const ACCOUNT_SID = `AC${'1'.repeat(32)}`;

describe('TWILIO_API_OVERRIDE parsing', () => {
  it('when pairs are given, then each subdomain maps to its base URL', () => {
    const overrides = parseApiOverride(' api=http://127.0.0.1:4010 , lookups=http://127.0.0.1:4011/prefix ');

    expect([...overrides.keys()]).toEqual(['api', 'lookups']);
    expect(overrides.get('api')?.href).toBe('http://127.0.0.1:4010/');
    expect(overrides.get('lookups')?.href).toBe('http://127.0.0.1:4011/prefix');
  });

  it('when unset or blank, then nothing is overridden', () => {
    expect(parseApiOverride(undefined).size).toBe(0);
    expect(parseApiOverride('  ').size).toBe(0);
  });

  it.each([
    ['a pair without "="', 'api'],
    ['a base URL that is not a URL', 'api=localhost:4010'],
    ['a base URL that is not http(s)', 'api=ftp://127.0.0.1:4010'],
    ['an empty subdomain', '=http://127.0.0.1:4010'],
    ['a subdomain that is not a host label', 'api.twilio.com=http://127.0.0.1:4010'],
    ['the same subdomain twice', 'api=http://127.0.0.1:1,api=http://127.0.0.1:2'],
    ['a base URL with a query', 'api=http://127.0.0.1:4010/?x=1'],
  ])('when the value has %s, then the error names TWILIO_API_OVERRIDE', (_case, value) => {
    expect(() => parseApiOverride(value)).toThrow(/TWILIO_API_OVERRIDE is malformed/);
  });
});

describe('URL rewriting', () => {
  const overrides = parseApiOverride('api=http://127.0.0.1:4010,lookups=http://127.0.0.1:4011/base/');

  it('when the subdomain is overridden, then path and query are kept on the new base', () => {
    expect(rewriteTwilioUrl('https://api.twilio.com/2010-04-01/Accounts/AC1/Calls.json?To=%2B1&PageSize=5', overrides)).toBe(
      'http://127.0.0.1:4010/2010-04-01/Accounts/AC1/Calls.json?To=%2B1&PageSize=5',
    );
    expect(rewriteTwilioUrl('https://lookups.twilio.com/v2/PhoneNumbers/%2B14155550100', overrides)).toBe(
      'http://127.0.0.1:4011/base/v2/PhoneNumbers/%2B14155550100',
    );
  });

  it('when the SDK adds an edge and region, then the subdomain still matches', () => {
    expect(rewriteTwilioUrl('https://api.sydney.au1.twilio.com/2010-04-01/Accounts.json', overrides)).toBe(
      'http://127.0.0.1:4010/2010-04-01/Accounts.json',
    );
  });

  it('when the subdomain is not overridden or the host is not Twilio, then the URL is unchanged', () => {
    const untouched = [
      'https://pricing.twilio.com/v1/PhoneNumbers/Countries/US',
      'https://api.twilio.com.evil.example/2010-04-01/Accounts.json',
      'http://api.twilio.com/2010-04-01/Accounts.json',
    ];
    for (const url of untouched) expect(rewriteTwilioUrl(url, overrides)).toBe(url);
  });
});

describe('createTwilioClient', () => {
  let fake: FakeTwilio | undefined;
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });

  it('when the override names api, then the real SDK request reaches the override with path, query and auth', async () => {
    fake = await startFakeTwilio(() => ({ status: 200, body: { calls: [], next_page_uri: null } }));
    const client = createTwilioClient({
      accountSid: ACCOUNT_SID,
      authToken: 'token',
      apiOverride: `api=${fake.baseUrl}/mock`,
    });

    await client.calls.list({ to: '+12025550100', limit: 3 });

    const [seen] = fake.requests;
    expect(seen?.path).toBe(`/mock/2010-04-01/Accounts/${ACCOUNT_SID}/Calls.json`);
    expect(seen?.query.get('To')).toBe('+12025550100');
    expect(seen?.query.get('PageSize')).toBe('3');
    expect(seen?.authorization).toBe(`Basic ${Buffer.from(`${ACCOUNT_SID}:token`).toString('base64')}`);
  });

  it('when the override is malformed, then building the client fails naming TWILIO_API_OVERRIDE', () => {
    expect(() => createTwilioClient({ accountSid: ACCOUNT_SID, authToken: 't', apiOverride: 'api=nope' })).toThrow(
      /TWILIO_API_OVERRIDE/,
    );
  });
});
