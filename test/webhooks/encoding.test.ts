import { createHmac } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import request from 'supertest';
import { AUTH_TOKEN, buildTestApp, callParams, PUBLIC_BASE_URL, type TestApp } from '../support/app.ts';

// Twilio signs the URL followed by each parameter (sorted by name) as name+value: here over bytes,
// because the value is not UTF-8 and no string can carry it.
function signBytes(url: string, pairs: Array<[string, Buffer]>): string {
  const sorted = [...pairs].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const data = Buffer.concat([Buffer.from(url), ...sorted.flatMap(([k, v]) => [Buffer.from(k), v])]);
  return createHmac('sha1', AUTH_TOKEN).update(data).digest('base64');
}

const formOf = (pairs: Array<[string, Buffer]>) =>
  pairs.map(([k, v]) => `${encodeURIComponent(k)}=${[...v].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('')}`).join('&');

describe('webhook text that is not UTF-8', () => {
  let app: TestApp;
  beforeEach(() => {
    app = buildTestApp();
  });
  afterEach(() => app.dispose());

  const badName = Buffer.from([0x41, 0xff, 0x42]);
  const pairs = () => Object.entries(callParams('+966593300150', '+966501112233')).map(([k, v]) => [k, Buffer.from(v)] as [string, Buffer])
    .concat([['CallerName', badName]]);

  it('when a genuinely signed call carries a caller name that is not UTF-8, then it is stored (200) with the body kept as sent', async () => {
    const p = pairs();
    const body = formOf(p);
    const res = await request(app.http).post('/twilio/voice').type('form')
      .set('X-Twilio-Signature', signBytes(`${PUBLIC_BASE_URL}/twilio/voice`, p)).send(body);
    expect(res.status).toBe(200);
    const sid = p.find(([k]) => k === 'CallSid')![1].toString();
    const hit = app.services.hits.findBySid(sid)!;
    expect(Buffer.from(String(hit.raw.tracerRawBodyBase64), 'base64').toString('latin1')).toBe(body);
  });

  it('when an unsigned body is not UTF-8, then 400 invalid-encoding, a security event, and no hit', async () => {
    const res = await request(app.http).post('/twilio/voice').type('form').set('X-Twilio-Signature', 'bm9wZQ==').send(formOf(pairs()));
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid-encoding');
    expect(app.services.db.prepare('SELECT count(*) FROM hits').pluck().get()).toBe(0);
    app.services.securityEvents.flush();
    expect(app.services.securityEvents.page(10).events.map((e) => e.reason)).toEqual(['invalid-encoding']);
  });
});
