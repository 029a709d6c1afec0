import request from 'supertest';
import type { App } from '../../../src/app.ts';
import type { CanaryNumber } from '../../../src/numbers/repository.ts';
import { callParams, signedWebhook, smsParams } from '../../support/app.ts';

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

export async function provision(app: App, input: { country?: string; count?: number; type?: string; areaCode?: string }): Promise<CanaryNumber[]> {
  return app.services.numberService.provision({ country: 'US', ...input } as never);
}

export async function channel(app: App & { tokens: { seeder: string } }, name = 'Vendor A'): Promise<string> {
  const res = await request(app.http).post('/api/v1/channels').set(bearer(app.tokens.seeder))
    .send({ name, kind: 'call-centre-vendor', routing: { queue: 'CC-NIGHT' } });
  if (res.status !== 201) throw new Error(`channel: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id as string;
}

export async function canaries(app: App & { tokens: { seeder: string } }, channelId: string, count = 1): Promise<Array<{ id: string; phoneNumber: string }>> {
  const res = await request(app.http).post('/api/v1/canaries').set(bearer(app.tokens.seeder))
    .send({ channelIds: [channelId], count, locale: 'en-US' });
  if (res.status !== 201) throw new Error(`canaries: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.canaries;
}

export async function call(app: App, to: string, from: string, extra: Record<string, string> = {}) {
  const params = callParams(to, from, extra);
  const res = await signedWebhook(app, '/twilio/voice', params);
  if (res.status !== 200) throw new Error(`voice webhook: ${res.status}`);
  return params.CallSid!;
}

export async function text(app: App, to: string, from: string, body = 'hello') {
  const params = smsParams(to, from, body);
  const res = await signedWebhook(app, '/twilio/sms', params);
  if (res.status !== 200) throw new Error(`sms webhook: ${res.status}`);
  return params.MessageSid!;
}

export function hitsTo(app: App, phone: string): Array<{ provider_sid: string; classification: string; received_at: string; raw: string; kind: string }> {
  return app.services.db.prepare('SELECT * FROM hits WHERE to_number = ? ORDER BY received_at').all(phone) as never;
}
