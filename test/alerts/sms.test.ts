// SMS to the on-call number: Twilio's Messages API as the real SDK sends it, checked by Prism
// against Twilio's OpenAPI description (a request Twilio would reject gets a 422); and the
// simulated provider, which records what it was asked to send.
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import twilio from 'twilio';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { twilioSms } from '../../src/alerts/senders.ts';
import { parseApiOverride } from '../../src/numbers/twilio/client.ts';
import type { SimulatedProvider } from '../../src/numbers/simulated-provider.ts';
import { createApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/log.ts';
import { AUTH_TOKEN, PUBLIC_BASE_URL, bearer, buildTestApp, callParams, createChannel, plant, signedWebhook, tempDir, type TestApp } from '../support/app.ts';
import { FirstPageOnlyRequestClient, PRISM_ACCOUNT_SID, PRISM_AUTH_TOKEN, startPrism, type PrismServer } from '../support/prism.ts';
import { drain } from './support.ts';

let prism: PrismServer;
let app: TestApp | undefined;
beforeAll(async () => {
  prism = await startPrism('api');
});
afterAll(async () => {
  await prism?.stop();
});
afterEach(async () => {
  await app?.dispose();
  app = undefined;
});

function prismTwilio() {
  const http = new FirstPageOnlyRequestClient(parseApiOverride(`api=${prism.baseUrl}`), { timeout: 10_000 });
  return { http, client: twilio(PRISM_ACCOUNT_SID, PRISM_AUTH_TOKEN, { httpClient: http }) };
}

describe('sms output', () => {
  it('when an SMS alert is sent through Twilio\'s contract, then the Messages request is one Twilio accepts, to the on-call number from the configured sender', async () => {
    const { client, http } = prismTwilio();

    const sent = await twilioSms(client, '+12025550123').send('+966512345678', 'Canary in channel CRM export called by +966500000001 11 min after planting');

    expect(sent.sid).toMatch(/^(SM|MM)[0-9a-f]{32}$/);
    expect(http.sent).toEqual([expect.objectContaining({
      method: 'POST', path: `/2010-04-01/Accounts/${PRISM_ACCOUNT_SID}/Messages.json`,
      data: { To: '+966512345678', From: '+12025550123', Body: expect.stringContaining('CRM export') },
    })]);
  });

  it('when an SMS output is tested in the tracer on Prism with a messaging service, then Twilio\'s answer is recorded as a delivery', async () => {
    const { client, http } = prismTwilio();
    const dir = tempDir();
    const real = createApp({
      config: loadConfig({ TWILIO_AUTH_TOKEN: AUTH_TOKEN, PUBLIC_BASE_URL, TRACER_DB: path.join(dir, 't.db'), UTILITY_DB: path.join(dir, 'u.db'), UTILITY_SAMPLE_CUSTOMERS: '20', LOG_LEVEL: 'silent' }),
      logger: createLogger('silent'),
      alerts: { sms: twilioSms(client, `MG${'b'.repeat(32)}`) },
    });
    try {
      await real.services.alerts.add({ kind: 'sms', name: 'on-call', to: '+966512345678' });

      const r = await real.services.alerts.test('on-call');

      expect(r).toMatchObject({ ok: true, status: 201, error: null });
      expect(http.sent[0]!.data).toMatchObject({ To: '+966512345678', MessagingServiceSid: `MG${'b'.repeat(32)}`, Body: expect.stringContaining('Test alert') });
      expect(real.services.alerts.deliveries({ output: 'on-call' }).deliveries).toEqual([expect.objectContaining({ outcome: 'delivered', test: true })]);
    } finally {
      await real.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('when the simulated provider is in use, then an alert SMS is recorded by it with the line and the link', async () => {
    app = buildTestApp();
    const ch = await createChannel(app, { name: 'CRM export', kind: 'crm' });
    const [canary] = await plant(app, [ch.id]);
    const res = await request(app.http).post('/api/v1/alerts/outputs').set(bearer(app.tokens.admin)).send({ kind: 'sms', name: 'on-call', to: '+966512345678', minSeverity: 'high', events: ['hit-stored'] });
    expect(res.status).toBe(201);

    await signedWebhook(app, '/twilio/voice', callParams(canary!.phoneNumber, '+966500000001'));
    await drain(app);

    const sim = app.services.numberProvider as SimulatedProvider;
    expect(sim.sentMessages()).toEqual([expect.objectContaining({
      to: '+966512345678', direction: 'outbound-api', body: expect.stringMatching(/^Canary in channel CRM export called by \+966500000001 .*\nVerdict: (leaking|suspect|undetermined)\nhttps:\/\/tracer\.example\.org\/hits\/hit_/),
    })]);
  });
});
