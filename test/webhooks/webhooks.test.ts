import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import request from 'supertest';
import { buildTestApp, callParams, createChannel, plant, PUBLIC_BASE_URL, signedWebhook, smsParams, type TestApp } from '../support/app.ts';

describe('Twilio webhooks', () => {
  let app: TestApp;
  let canary: { id: string; phoneNumber: string };

  beforeEach(async () => {
    app = buildTestApp();
    const ch = await createChannel(app, { name: 'Vendor A', kind: 'call-centre-vendor' });
    canary = (await plant(app, [ch.id]))[0]!;
    app.clock.advanceMinutes(5);
  });
  afterEach(() => app.dispose());

  const hitCount = () => app.services.db.prepare('SELECT count(*) FROM hits').pluck().get() as number;

  it('when a validly signed call arrives, then the hit is stored raw and the answer is a greeting that hangs up', async () => {
    const params = callParams(canary.phoneNumber, '+966501112233', { CallerName: 'AQUA FIX', FutureParam: 'kept' });
    const res = await signedWebhook(app, '/twilio/voice', params);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/xml/);
    expect(res.text).toContain('<Say');
    expect(res.text).toContain('<Hangup/>');
    expect(res.text).not.toContain('<Record');
    const hit = app.services.hits.findBySid(params.CallSid!)!;
    expect(hit.canaryId).toBe(canary.id);
    expect(hit.classification).toBe('after-planting');
    expect(hit.callerName).toBe('AQUA FIX');
    expect(hit.raw).toEqual(params);
    expect(hit.callStatus).toBe('ringing');
  });

  it('when the signature is forged, then 403, a security event, and no hit', async () => {
    const params = callParams(canary.phoneNumber, '+966501112233');
    const res = await request(app.http).post('/twilio/voice').type('form').set('X-Twilio-Signature', 'Zm9yZ2VkIHNpZ25hdHVyZQ==').send(params);
    expect(res.status).toBe(403);
    expect(hitCount()).toBe(0);
    app.services.securityEvents.flush();
    const ev = app.services.securityEvents.page(10).events;
    expect(ev).toHaveLength(1);
    expect(ev[0]!.kind).toBe('webhook-forgery');
    expect(ev[0]!.reason).toBe('signature-mismatch');
    expect(ev[0]!.count).toBe(1);
  });

  it('when the signature is missing, then 403 and the event says so', async () => {
    const res = await request(app.http).post('/twilio/voice').type('form').send(callParams(canary.phoneNumber, '+966501112233'));
    expect(res.status).toBe(403);
    app.services.securityEvents.flush();
    expect(app.services.securityEvents.page(10).events[0]!.reason).toBe('signature-missing');
    expect(hitCount()).toBe(0);
  });

  it('when a request was signed for another URL, then it is rejected', async () => {
    const params = callParams(canary.phoneNumber, '+966501112233');
    const res = await signedWebhook(app, '/twilio/voice', params, 'https://evil.example.com/twilio/voice');
    expect(res.status).toBe(403);
    const res2 = await signedWebhook(app, '/twilio/sms', smsParams(canary.phoneNumber, '+966501112233', 'hi'), `${PUBLIC_BASE_URL}/twilio/voice`);
    expect(res2.status).toBe(403);
    expect(hitCount()).toBe(0);
  });

  it('when a parameter is altered after signing, then it is rejected', async () => {
    const params = callParams(canary.phoneNumber, '+966501112233');
    const twilio = (await import('twilio')).default;
    const sig = twilio.getExpectedTwilioSignature('test-auth-token-0123456789abcdef', `${PUBLIC_BASE_URL}/twilio/voice`, params);
    const res = await request(app.http).post('/twilio/voice').type('form').set('X-Twilio-Signature', sig).send({ ...params, From: '+966500000000' });
    expect(res.status).toBe(403);
  });

  it('when the query string is part of the signed URL, then it is validated with it', async () => {
    const params = callParams(canary.phoneNumber, '+966501112233');
    const ok = await signedWebhook(app, '/twilio/voice?attempt=1', params);
    expect(ok.status).toBe(200);
    const bad = await signedWebhook(app, '/twilio/voice?attempt=2', { ...params, CallSid: params.CallSid!.replace(/.$/, 'f') }, `${PUBLIC_BASE_URL}/twilio/voice?attempt=1`);
    expect(bad.status).toBe(403);
  });

  it('when Twilio repeats (or someone replays) a request, then nothing new is stored and the answer is the same', async () => {
    const params = callParams(canary.phoneNumber, '+966501112233');
    const a = await signedWebhook(app, '/twilio/voice', params);
    const b = await signedWebhook(app, '/twilio/voice', params);
    expect(a.status).toBe(200);
    expect(b.status).toBe(200);
    expect(b.text).toBe(a.text);
    expect(hitCount()).toBe(1);
    const entries = app.services.db.prepare("SELECT count(*) FROM evidence_log WHERE kind = 'hit'").pluck().get();
    expect(entries).toBe(1);
  });

  it('when an SMS arrives, then it is stored with its body and answered with empty TwiML', async () => {
    const params = smsParams(canary.phoneNumber, '+966501112233', '<script>alert(1)</script> =HYPERLINK("x")');
    const res = await signedWebhook(app, '/twilio/sms', params);
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/<Response\/>|<Response><\/Response>/);
    const hit = app.services.hits.findBySid(params.MessageSid!)!;
    expect(hit.kind).toBe('sms');
    expect(hit.body).toBe(params.Body);
  });

  it('when status callbacks arrive out of order, before and after the call, then the final status and duration win', async () => {
    const params = callParams(canary.phoneNumber, '+966501112233');
    const sid = params.CallSid!;
    const status = (s: string, extra: Record<string, string> = {}) =>
      signedWebhook(app, '/twilio/status', { AccountSid: params.AccountSid!, CallSid: sid, CallStatus: s, ...extra });
    expect((await status('completed', { CallDuration: '42' })).status).toBe(204);
    expect((await signedWebhook(app, '/twilio/voice', params)).status).toBe(200);
    expect(app.services.hits.findBySid(sid)!.callStatus).toBe('completed');
    expect((await status('in-progress')).status).toBe(204);
    expect((await status('ringing')).status).toBe(204);
    expect((await status('ringing')).status).toBe(204); // a repeat: stores nothing new
    const hit = app.services.hits.findBySid(sid)!;
    expect(hit.callStatus).toBe('completed');
    expect(hit.durationSeconds).toBe(42);
    const raw = app.services.db.prepare('SELECT count(*) FROM call_status_events WHERE call_sid = ?').pluck().get(sid);
    expect(raw).toBe(3); // each callback kept raw (the voice webhook's own ringing lives in the hit's raw)
  });

  it('when a call reaches a number no canary holds, then it is stored as unmatched', async () => {
    const params = callParams('+966593300099', '+966501112233');
    expect((await signedWebhook(app, '/twilio/voice', params)).status).toBe(200);
    const hit = app.services.hits.findBySid(params.CallSid!)!;
    expect(hit.canaryId).toBeNull();
    expect(hit.classification).toBe('unmatched');
  });

  it('when the content type carries a charset, then the webhook is still accepted', async () => {
    const params = callParams(canary.phoneNumber, '+966501112233');
    const twilio = (await import('twilio')).default;
    const sig = twilio.getExpectedTwilioSignature('test-auth-token-0123456789abcdef', `${PUBLIC_BASE_URL}/twilio/voice`, params);
    const res = await request(app.http).post('/twilio/voice').set('Content-Type', 'application/x-www-form-urlencoded; charset=UTF-8')
      .set('X-Twilio-Signature', sig).send(new URLSearchParams(params).toString());
    expect(res.status).toBe(200);
    expect(hitCount()).toBe(1);
  });

  it('when a webhook path is unknown or not POSTed, then 404 or 405 with a code, and nothing stored', async () => {
    const unknown = await signedWebhook(app, '/twilio/fax', callParams(canary.phoneNumber, '+966501112233'));
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toBe('not-found');
    const get = await request(app.http).get('/twilio/voice');
    expect(get.status).toBe(405);
    expect(get.body.error).toBe('method-not-allowed');
    expect(hitCount()).toBe(0);
  });

  it('when a webhook is not form-encoded, then 400 and nothing stored', async () => {
    const res = await request(app.http).post('/twilio/voice').set('Content-Type', 'application/json').send(JSON.stringify(callParams(canary.phoneNumber, '+1')));
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('unsupported-media-type');
    expect(hitCount()).toBe(0);
  });

  it('when a signed webhook lacks a parameter the tracer uses, then 400 with a clear message', async () => {
    const params = callParams(canary.phoneNumber, '+966501112233');
    delete params.CallSid;
    const res = await signedWebhook(app, '/twilio/voice', params);
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid-webhook');
    expect(res.body.message).toContain('CallSid');
  });

  it('when a webhook body is over 100 kB, then 413', async () => {
    const params = smsParams(canary.phoneNumber, '+966501112233', 'x'.repeat(120_000));
    const res = await signedWebhook(app, '/twilio/sms', params);
    expect(res.status).toBe(413);
    expect(hitCount()).toBe(0);
  });

  it('when a hit is stored, then a caller look-up and the debounced party proposals are queued in the outbox, not done on the request', async () => {
    const params = callParams(canary.phoneNumber, '+966501112233');
    await signedWebhook(app, '/twilio/voice', params);
    const jobs = app.services.db.prepare("SELECT kind, done_at FROM outbox").all() as Array<{ kind: string; done_at: string | null }>;
    expect(jobs).toEqual([{ kind: 'enrich-caller', done_at: null }, { kind: 'alert-event', done_at: null }, { kind: 'propose-parties', done_at: null }]);
  });
});
