import { describe, expect, it } from 'vitest';
import { SimulatedProvider } from '../../src/numbers/simulated-provider.ts';
import { ProviderError } from '../../src/numbers/twilio/errors.ts';

const WEBHOOKS = {
  voiceUrl: 'https://tracer.example.org/twilio/voice',
  smsUrl: 'https://tracer.example.org/twilio/sms',
  statusCallback: 'https://tracer.example.org/twilio/status',
};
const BUNDLE_SID = `BU${'b'.repeat(32)}`;

const small = () =>
  new SimulatedProvider({
    ranges: [
      { country: 'US', from: '+12025550100', to: '+12025550104' },
      { country: 'US', from: '+14155550100', to: '+14155550199' },
      { country: 'SA', from: '+966593300100', to: '+966593300109' },
    ],
  });

async function buy(provider: SimulatedProvider, phoneNumber: string) {
  return provider.purchase({ phoneNumber, webhooks: WEBHOOKS, friendlyName: 'Line 1', bundleSid: BUNDLE_SID });
}

describe('SimulatedProvider numbers', () => {
  it('when searching by area code, then only that area code’s fictional numbers come back, up to the limit', async () => {
    const found = await small().searchAvailable({ country: 'US', type: 'local', areaCode: '415', limit: 3 });

    expect(found).toEqual([
      { phoneNumber: '+14155550100', country: 'US', type: 'local' },
      { phoneNumber: '+14155550101', country: 'US', type: 'local' },
      { phoneNumber: '+14155550102', country: 'US', type: 'local' },
    ]);
  });

  it('when searching with a pattern, then digits, keypad letters and * match like Twilio', async () => {
    const provider = small();

    const byDigits = await provider.searchAvailable({ country: 'US', type: 'local', contains: '5550142', limit: 10 });
    const byLetters = await provider.searchAvailable({ country: 'US', type: 'local', contains: 'kl0142', limit: 10 });
    const byWildcard = await provider.searchAvailable({ country: 'US', type: 'local', contains: '01*9', limit: 3 });

    expect(byDigits.map((n) => n.phoneNumber)).toEqual(['+14155550142']);
    expect(byLetters.map((n) => n.phoneNumber)).toEqual(['+14155550142']);
    expect(byWildcard.map((n) => n.phoneNumber)).toEqual(['+14155550109', '+14155550119', '+14155550129']);
  });

  it('when a range is Saudi mobile, then its type is inferred as mobile', async () => {
    const provider = small();

    expect(await provider.searchAvailable({ country: 'SA', type: 'local', limit: 5 })).toEqual([]);
    expect(await provider.searchAvailable({ country: 'sa', type: 'mobile', limit: 1 })).toEqual([
      { phoneNumber: '+966593300100', country: 'SA', type: 'mobile' },
    ]);
  });

  it('when a number is bought, then it is owned, listed, and no longer offered', async () => {
    const provider = small();

    const owned = await buy(provider, '+12025550100');

    expect(owned).toMatchObject({ phoneNumber: '+12025550100', friendlyName: 'Line 1', webhooks: WEBHOOKS });
    expect(owned.providerSid).toMatch(/^PN[0-9a-f]{32}$/);
    expect(await provider.listOwned()).toEqual([owned]);
    const offered = await provider.searchAvailable({ country: 'US', type: 'local', areaCode: '202', limit: 10 });
    expect(offered.map((n) => n.phoneNumber)).not.toContain('+12025550100');
  });

  it('when buying a number that is taken or outside every range, then it is number-unavailable', async () => {
    const provider = small();
    await buy(provider, '+12025550100');

    await expect(buy(provider, '+12025550100')).rejects.toMatchObject({ code: 'number-unavailable' });
    await expect(buy(provider, '+12025550199')).rejects.toMatchObject({ code: 'number-unavailable' });
    expect(await provider.listOwned()).toHaveLength(1);
  });

  it('when buying a Saudi number without a bundle, then it is bundle-required and nothing is owned', async () => {
    const provider = small();

    const buying = provider.purchase({ phoneNumber: '+966593300100', webhooks: WEBHOOKS, friendlyName: 'Line 2' });

    await expect(buying).rejects.toBeInstanceOf(ProviderError);
    await expect(buying).rejects.toMatchObject({ code: 'bundle-required' });
    expect(await provider.listOwned()).toEqual([]);
  });

  it('when webhooks are updated and the number released, then the list follows', async () => {
    const provider = small();
    const owned = await buy(provider, '+12025550101');
    const moved = { ...WEBHOOKS, voiceUrl: 'https://other.example.org/twilio/voice' };

    expect((await provider.updateWebhooks(owned.providerSid, moved)).webhooks).toEqual(moved);
    expect((await provider.listOwned())[0]?.webhooks).toEqual(moved);

    await provider.release(owned.providerSid);
    expect(await provider.listOwned()).toEqual([]);
    await expect(provider.release(owned.providerSid)).rejects.toMatchObject({ code: 'provider-error', providerStatus: 404 });
  });

  it('when returned numbers are changed by the caller, then the provider’s state is not', async () => {
    const provider = small();
    const owned = await buy(provider, '+12025550102');

    owned.webhooks.voiceUrl = 'https://changed.example.org';

    expect((await provider.listOwned())[0]?.webhooks.voiceUrl).toBe(WEBHOOKS.voiceUrl);
  });

  it('when restarted with the store’s numbers, then they are owned again', async () => {
    const first = small();
    const owned = await buy(first, '+12025550103');

    const restarted = new SimulatedProvider({ ranges: [{ country: 'US', from: '+12025550100', to: '+12025550104' }], owned: [owned] });

    expect(await restarted.listOwned()).toEqual([owned]);
    await expect(buy(restarted, '+12025550103')).rejects.toMatchObject({ code: 'number-unavailable' });
  });

  it('when a range is malformed, then construction fails saying which', () => {
    expect(() => new SimulatedProvider({ ranges: [{ country: 'US', from: '+12025550199', to: '+12025550100' }] })).toThrow(
      /from must not exceed to/,
    );
    expect(() => new SimulatedProvider({ ranges: [{ country: 'usa', from: '2025550100', to: '+12025550100' }] })).toThrow(
      /country .*from/s,
    );
  });
});

describe('SimulatedProvider minting', () => {
  it('when numbers are minted, then each is a free number of the country, owned with its webhooks, and never one the caller says it held', () => {
    const provider = small();
    const held = new Set(['+966593300100', '+966593300101', '+966593300102']);

    const minted = Array.from({ length: 7 }, () =>
      provider.mintNow('SA', { webhooks: WEBHOOKS, friendlyName: 'Line 3', bundleSid: BUNDLE_SID }, (phone) => !held.has(phone)));

    const phones = minted.map((m) => m.owned.phoneNumber);
    expect(new Set(phones).size).toBe(7);
    expect(phones.filter((p) => held.has(p))).toEqual([]);
    expect(minted.every((m) => m.type === 'mobile' && /^\+96659330010\d$/.test(m.owned.phoneNumber))).toBe(true);
    expect(minted[0]!.price).toEqual({ price: 20, currency: 'USD' });
    expect(() => provider.mintNow('SA', { webhooks: WEBHOOKS, friendlyName: 'Line 4', bundleSid: BUNDLE_SID }, (phone) => !held.has(phone))).toThrow(
      expect.objectContaining({ code: 'number-unavailable' }),
    );
  });
});

describe('SimulatedProvider traffic', () => {
  it('when calls and texts are recorded, then they list per number, oldest first, from the cursor on', async () => {
    const provider = small();
    const { phoneNumber } = await buy(provider, '+12025550100');
    const other = await buy(provider, '+12025550101');
    const late = provider.recordInbound({ kind: 'call', from: '+15005550006', to: phoneNumber, at: '2025-03-02T10:00:00Z' });
    const early = provider.recordInbound({ kind: 'call', from: '+15005550007', to: phoneNumber, at: '2025-03-01T10:00:00Z', durationSeconds: 12 });
    provider.recordInbound({ kind: 'call', from: '+15005550008', to: other.phoneNumber, at: '2025-03-03T10:00:00Z' });
    const text = provider.recordInbound({ kind: 'sms', from: '+15005550006', to: phoneNumber, body: 'leak?', at: '2025-03-02T11:00:00Z' });

    expect(await provider.listCalls(phoneNumber, null)).toEqual([early, late]);
    expect(await provider.listCalls(phoneNumber, '2025-03-02T10:00:00Z')).toEqual([late]);
    expect(early).toMatchObject({ direction: 'inbound', status: 'completed', durationSeconds: 12, startTime: '2025-03-01T10:00:00.000Z' });
    expect(early.sid).toMatch(/^CA[0-9a-f]{32}$/);
    expect(await provider.listMessages(phoneNumber, null)).toEqual([text]);
    expect(text).toMatchObject({ body: 'leak?', direction: 'inbound', dateSent: '2025-03-02T11:00:00.000Z' });
    expect(text.sid).toMatch(/^SM[0-9a-f]{32}$/);
  });

  it('when the simulator brings its own sid, then the listed call carries it', async () => {
    const provider = small();
    const { phoneNumber } = await buy(provider, '+12025550100');
    const sid = `CA${'e'.repeat(32)}`;

    provider.recordInbound({ kind: 'call', sid, from: '+15005550006', to: phoneNumber });

    expect((await provider.listCalls(phoneNumber, null)).map((call) => call.sid)).toEqual([sid]);
  });

  it('when traffic is recorded for a number not owned, then it is refused', () => {
    expect(() => small().recordInbound({ kind: 'sms', from: '+15005550006', to: '+12025550100', body: 'x' })).toThrow(
      /not a number this provider owns/,
    );
  });
});

describe('SimulatedProvider lookups and prices', () => {
  it('when the same caller is looked up twice, then the answer is the same and offline', async () => {
    const provider = small();

    const first = await provider.lookupCaller('+15005550006');
    const again = await new SimulatedProvider().lookupCaller('+15005550006');

    expect(again).toEqual(first);
    expect(first.raw).toMatchObject({ simulated: true });
  });

  it('when many callers are looked up, then some have names and some have none', async () => {
    const provider = small();
    const numbers = Array.from({ length: 40 }, (_, i) => `+1500555${String(i).padStart(4, '0')}`);

    const callers = await Promise.all(numbers.map((n) => provider.lookupCaller(n)));

    const named = callers.filter((c) => c.callerName !== null);
    expect(named.length).toBeGreaterThan(0);
    expect(named.length).toBeLessThan(callers.length);
    for (const caller of named) expect(caller.callerName!.length).toBeLessThanOrEqual(15);
    for (const caller of callers) expect(['mobile', 'landline', 'nonFixedVoip']).toContain(caller.lineType);
  });

  it('when a price is configured, then it is the monthly price; otherwise there is none', async () => {
    const provider = new SimulatedProvider({ prices: [{ country: 'US', type: 'local', price: 1.5, currency: 'USD' }] });

    expect(await provider.monthlyPrice('us', 'local')).toEqual({ price: 1.5, currency: 'USD' });
    expect(await provider.monthlyPrice('US', 'toll-free')).toBeNull();
  });
});
