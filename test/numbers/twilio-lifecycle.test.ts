// The lifecycle against Twilio where it needs state Prism's static examples cannot give: a
// stateful in-process fake Twilio, reached by the real SDK through TWILIO_API_OVERRIDE, composed by
// createApp from configuration alone (TWILIO_ACCOUNT_SID set → TwilioProvider).
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/log.ts';
import { TwilioProvider } from '../../src/numbers/twilio/provider.ts';
import { startServer } from '../../src/server.ts';
import { AUTH_TOKEN, PUBLIC_BASE_URL, tempDir } from '../support/app.ts';
import { bearer, call, canaries, channel, hitsTo } from './support/actions.ts';
import { DAY_MS, START, numberRow, numbersTestApp, type NumbersTestApp } from './support/app.ts';
import { startStatefulTwilio, twilioError, type StatefulTwilio } from './support/fake-twilio.ts';

const ACCOUNT_SID = `AC${'1'.repeat(32)}`;
const CALLER = '+12125550123';
let fake: StatefulTwilio | undefined;
let app: NumbersTestApp | undefined;

afterEach(async () => {
  await app?.dispose();
  await fake?.close();
  app = undefined;
  fake = undefined;
});

async function twilioApp(env: Record<string, string> = {}) {
  fake = await startStatefulTwilio({ prices: { US: 1.15 } });
  app = numbersTestApp({ env: { TWILIO_ACCOUNT_SID: ACCOUNT_SID, TWILIO_API_OVERRIDE: fake.apiOverride, CONTROL_SHARE: '0', ...env } });
  return { app, fake };
}

const provisionApi = (a: NumbersTestApp, body: Record<string, unknown>) =>
  request(a.http).post('/api/v1/numbers').set(bearer(a.tokens.seeder)).send(body);

describe('provisioning on Twilio', () => {
  it('when numbers are bought, then exactly what Twilio confirmed is recorded, priced by the pricing API', async () => {
    const { app, fake } = await twilioApp();

    const res = await provisionApi(app, { country: 'US', count: 2 });

    expect(app.services.numberProvider).toBeInstanceOf(TwilioProvider);
    expect(res.status).toBe(201);
    const onTwilio = [...fake.owned.values()];
    expect(res.body.numbers.map((n: { providerSid: string }) => n.providerSid)).toEqual(onTwilio.map((n) => n.sid));
    for (const n of onTwilio) {
      expect(n).toMatchObject({ voice_url: `${PUBLIC_BASE_URL}/twilio/voice`, sms_url: `${PUBLIC_BASE_URL}/twilio/sms`, status_callback: `${PUBLIC_BASE_URL}/twilio/status` });
    }
    expect(res.body.numbers[0]).toMatchObject({ monthlyPrice: 1.15, currency: 'USD', status: 'burn-in', provider: 'twilio' });
  });

  it.each([
    ['the number is no longer available', twilioError(400, 21422, 'PhoneNumber requested is not available'), 409, 'number-unavailable'],
    ['a bundle is missing', twilioError(400, 21649, 'Bundle required for this number'), 422, 'bundle-required'],
    ['Twilio is down', { status: 503, body: { code: 20503, message: 'Service unavailable', status: 503 } }, 503, 'provider-unavailable'],
  ] as const)('when %s, then the error names Twilio’s code and nothing is recorded', async (_case, answer, status, code) => {
    const { app, fake } = await twilioApp();
    fake.failNext('POST', /IncomingPhoneNumbers\.json$/, answer);

    const res = await provisionApi(app, { country: 'US', count: 1 });

    expect(res.status).toBe(status);
    expect(res.body).toEqual({ error: code, message: expect.stringContaining(`Twilio error ${(answer.body as { code: number }).code}`) });
    expect(app.services.numberService.list().numbers).toEqual([]);
  });

  it('when the credentials are wrong, then provisioning fails as bad-credentials before anything is bought', async () => {
    const { app, fake } = await twilioApp();
    fake.failNext('GET', /PhoneNumbers\/Countries\/US$/, twilioError(401, 20003, 'Authentication Error - invalid username'));

    const res = await provisionApi(app, { country: 'US', count: 1 });

    expect(res.status).toBe(502);
    expect(res.body).toMatchObject({ error: 'bad-credentials', message: expect.stringContaining('Twilio error 20003') });
    expect(fake.owned.size).toBe(0);
  });

  it('when the second purchase of a batch fails, then the first is kept and reported beside Twilio’s error', async () => {
    const { app, fake } = await twilioApp();
    fake.failNext('POST', /IncomingPhoneNumbers\.json$/, twilioError(400, 21422, 'PhoneNumber requested is not available'), { skip: 1 });

    const res = await provisionApi(app, { country: 'US', count: 2 });

    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ error: 'number-unavailable', providerCode: 21422, message: expect.stringMatching(/^bought 1 of 2 .*Twilio error 21422/) });
    expect(res.body.numbers.map((n: { providerSid: string }) => n.providerSid)).toEqual([...fake.owned.keys()]);
    expect(app.services.numberService.list().numbers).toHaveLength(1);
  });
});

describe('the lifecycle on Twilio', () => {
  it('when numbers burn in, serve a canary, retire and outlast the quarantine, then Twilio ends up without them', async () => {
    const { app, fake } = await twilioApp({ BURN_IN_MAX_HITS: '1', RELEASE_QUARANTINE_DAYS: '30' });
    const made = (await provisionApi(app, { country: 'US', count: 2 })).body.numbers as Array<{ id: string; phoneNumber: string }>;
    const [quiet, noisy] = made;
    await call(app, noisy!.phoneNumber, CALLER);
    fake.receive({ kind: 'call', from: CALLER, to: noisy!.phoneNumber, at: new Date(Date.parse(START) + DAY_MS) }); // the webhook missed it
    app.clock.advanceDays(14);

    const burnIn = await app.services.numberService.sync();
    const [canary] = await canaries(app, await channel(app));
    app.services.numberLifecycle.retireNumberOfCanary(canary!.id);
    app.clock.advanceDays(30);
    const quarantine = await app.services.numberLifecycle.step();

    expect(burnIn.reconcile.backfilled).toEqual({ calls: 1, messages: 0 });
    expect(hitsTo(app, noisy!.phoneNumber).map((h) => h.classification)).toEqual(['burn-in', 'burn-in']);
    expect(burnIn.lifecycle.ready.map((n) => n.phoneNumber)).toEqual([quiet!.phoneNumber]);
    expect(burnIn.lifecycle.retired.map((n) => n.phoneNumber)).toEqual([noisy!.phoneNumber]);
    expect(canary!.phoneNumber).toBe(quiet!.phoneNumber);
    expect(quarantine.released.map((n) => n.phoneNumber)).toEqual([quiet!.phoneNumber]);
    expect(fake.owned.size).toBe(0);
    expect(numberRow(app, quiet!.phoneNumber)).toMatchObject({ status: 'released', retired_reason: 'canary-retired' });
  });

  it('when Twilio fails a release, then the number stays retired and marked with Twilio’s error until a later try succeeds', async () => {
    const { app, fake } = await twilioApp();
    const [n] = (await provisionApi(app, { country: 'US', count: 1 })).body.numbers as Array<{ id: string; phoneNumber: string }>;
    fake.failNext('DELETE', /IncomingPhoneNumbers\/PN\w+\.json$/, { status: 500, body: { code: 20500, message: 'Internal Server Error', status: 500 } });

    const failed = await request(app.http).post(`/api/v1/numbers/${n!.id}/release`).set(bearer(app.tokens.seeder)).send({});
    const marked = numberRow(app, n!.phoneNumber);
    app.clock.advanceDays(1);
    const later = await app.services.numberLifecycle.step();

    expect(failed.status).toBe(502);
    expect(failed.body).toMatchObject({ error: 'release-failed', message: expect.stringContaining('Twilio error 20500') });
    expect(marked).toMatchObject({ status: 'retired', release_error: expect.stringContaining('provider-unavailable') });
    expect(later.released.map((r) => r.id)).toEqual([n!.id]);
    expect(fake.owned.size).toBe(0);
  });

  it('when a number’s webhooks were changed on Twilio and another was deleted there, then sync fixes the one and flags the other', async () => {
    const { app, fake } = await twilioApp();
    const [kept, lost] = (await provisionApi(app, { country: 'US', count: 2 })).body.numbers as Array<{ id: string; providerSid: string }>;
    fake.owned.get(kept!.providerSid)!.voice_url = 'https://attacker.example.net/voice';
    fake.owned.delete(lost!.providerSid);

    const { reconcile } = await app.services.numberService.sync();

    expect(reconcile.webhooksFixed).toEqual([expect.objectContaining({ id: kept!.id, was: { voiceUrl: 'https://attacker.example.net/voice' } })]);
    expect(fake.owned.get(kept!.providerSid)!.voice_url).toBe(`${PUBLIC_BASE_URL}/twilio/voice`);
    expect(reconcile.missing.map((m) => m.id)).toEqual([lost!.id]);
  });

  it('when the server starts, then it reconciles the account on its own', async () => {
    fake = await startStatefulTwilio({ prices: { US: 1.15 } });
    const dir = tempDir('tracer-numbers-start-');
    const config = loadConfig({
      PORT: '0', TWILIO_AUTH_TOKEN: AUTH_TOKEN, PUBLIC_BASE_URL, LOG_LEVEL: 'silent', UTILITY_SAMPLE_CUSTOMERS: '10',
      TRACER_DB: path.join(dir, 'tracer.db'), UTILITY_DB: path.join(dir, 'utility.db'),
      TWILIO_ACCOUNT_SID: ACCOUNT_SID, TWILIO_API_OVERRIDE: fake.apiOverride,
    });
    const first = await startServer({ config, logger: createLogger('silent') });
    const [n] = await first.app.services.numberService.provision({ country: 'US', count: 1 });
    await first.stop();
    fake.owned.get(n!.providerSid!)!.sms_url = null;

    const running = await startServer({ config, logger: createLogger('silent') });
    try {
      await vi.waitFor(() => expect(fake!.owned.get(n!.providerSid!)!.sms_url).toBe(`${PUBLIC_BASE_URL}/twilio/sms`), { timeout: 10_000 });
    } finally {
      await running.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
