import { createHmac, timingSafeEqual } from 'node:crypto';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bearer } from '../support/app.ts';
import { alertsFixture, drain, startReceiver, type AlertsFixture, type Receiver } from './support.ts';

let f: AlertsFixture;
let receiver: Receiver;
beforeEach(async () => {
  receiver = await startReceiver();
  f = await alertsFixture();
});
afterEach(async () => {
  await f.app.dispose();
  await receiver.close();
});

/** How a receiver verifies an alert, exactly as the README tells it to. */
function verify(secret: string, headers: Record<string, unknown>, body: string, nowSeconds: number): boolean {
  const timestamp = String(headers['x-tracer-timestamp']);
  if (Math.abs(nowSeconds - Number(timestamp)) > 300) return false;
  const expected = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  const given = Buffer.from(String(headers['x-tracer-signature']), 'hex');
  return given.length === expected.length / 2 && timingSafeEqual(given, Buffer.from(expected, 'hex'));
}

describe('generic webhook output', () => {
  it('when a canary is called, then the webhook gets one signed alert saying what happened, the verdict now and the link — never the persona', async () => {
    const out = await f.addOutput({ kind: 'webhook', name: 'siem', url: receiver.url });
    f.app.clock.advanceMinutes(11);

    await f.call('+966512345678', { CallerName: 'Nadir Leak Services' });
    await drain(f.app);

    expect(receiver.received).toHaveLength(1);
    const r = receiver.received[0]!;
    const report = (await request(f.app.http).get('/api/v1/report').set(bearer(f.app.tokens.investigator))).body;
    const verdictNow = report.channels.find((c: { channelId: string }) => c.channelId === f.channel.id).verdict;
    const hit = f.app.services.hits.list().items[0]!;
    expect(r.json).toMatchObject({
      event: 'hit-stored', severity: 'high', channel: 'CRM export', canaryNumberLast4: f.canary.phoneNumber.slice(-4),
      caller: { number: '+966512345678', name: 'Nadir Leak Services' }, verdict: verdictNow,
      url: `https://tracer.example.org/hits/${hit.id}`, occurredAt: hit.receivedAt,
      summary: 'Canary in channel CRM export called by +966512345678 (Nadir Leak Services) 11 min after planting',
    });
    expect(verify(out.secret, r.headers, r.body, Math.floor(f.app.clock.now().getTime() / 1000))).toBe(true);
    expect(verify('whsec_wrong', r.headers, r.body, Math.floor(f.app.clock.now().getTime() / 1000))).toBe(false);
    const canary = f.app.services.canaries.get(f.canary.id);
    expect(r.body).not.toContain(canary.persona.fullName);
    expect(r.body).not.toContain('AccountSid');
  });

  it('when outputs are listed, then no secret or URL path is in the answer, and the secret was shown once at creation', async () => {
    const out = await f.addOutput({ kind: 'webhook', name: 'siem', url: `${receiver.url}?key=SUPERSECRETKEY` });
    expect(out.secret).toMatch(/^whsec_/);

    const res = await request(f.app.http).get('/api/v1/alerts/outputs').set(bearer(f.app.tokens.admin));

    expect(res.status).toBe(200);
    expect(res.body.outputs[0]).toMatchObject({ name: 'siem', target: `http://127.0.0.1:${receiver.port}/…`, enabled: true, consecutiveFailures: 0, lastDelivery: null });
    expect(JSON.stringify(res.body)).not.toContain(out.secret);
    expect(JSON.stringify(res.body)).not.toContain('SUPERSECRETKEY');
  });

  it('when someone without the admin role manages outputs, then they are refused', async () => {
    const res = await request(f.app.http).get('/api/v1/alerts/outputs').set(bearer(f.app.tokens.investigator));
    expect(res.status).toBe(403);
  });

  it('when an output is pointed at a loopback, private or metadata address that is not allow-listed, then it is refused', async () => {
    for (const url of ['http://127.0.0.2/hook', 'http://10.0.0.1/hook', 'http://169.254.169.254/latest', 'http://[::1]/hook']) {
      const res = await request(f.app.http).post('/api/v1/alerts/outputs').set(bearer(f.app.tokens.admin))
        .send({ kind: 'webhook', name: `x${Math.random()}`.replace('.', ''), url });
      expect(res.status, url).toBe(400);
      expect(res.body.error).toBe('outbound-refused');
    }
  });

  it('when the receiver fails 5 times in a row, then the output is disabled with a warning, alerts are held, and enabling sends them', async () => {
    await f.addOutput({ kind: 'webhook', name: 'siem', url: receiver.url, throttleMinutes: 0 });
    receiver.answerWith(503);
    for (let i = 0; i < 5; i++) {
      await f.call(`+96651234560${i}`);
      await drain(f.app);
    }

    const listed = (await request(f.app.http).get('/api/v1/alerts/outputs').set(bearer(f.app.tokens.admin))).body.outputs[0];
    expect(listed).toMatchObject({ enabled: false, consecutiveFailures: 5, pending: 5, lastDelivery: { outcome: 'failed', status: 503 } });
    expect(listed.warning).toMatch(/disabled after 5 consecutive failures/);
    await f.call('+966512345699');
    await drain(f.app);
    expect(receiver.received).toHaveLength(0);

    receiver.answerWith(200);
    const enabled = await request(f.app.http).post(`/api/v1/alerts/outputs/${listed.id}/enable`).set(bearer(f.app.tokens.admin));
    expect(enabled.body).toMatchObject({ enabled: true, consecutiveFailures: 0, warning: null });
    // Held ones go at once; those whose retry was already scheduled go when it is due.
    f.app.clock.advanceMinutes(10);
    await drain(f.app);

    const callers = receiver.received.map((r) => r.json.caller.number).sort();
    expect(callers).toEqual(['+966512345600', '+966512345601', '+966512345602', '+966512345603', '+966512345604', '+966512345699']);
    expect(new Set(receiver.received.map((r) => r.headers['x-tracer-delivery'])).size).toBe(6);
  });

  it('when deliveries are read, then every attempt is there with outcome, status and latency, paged by cursor', async () => {
    const out = await f.addOutput({ kind: 'webhook', name: 'siem', url: receiver.url, throttleMinutes: 0 });
    receiver.answerWith(500);
    await f.call('+966512345601');
    await drain(f.app);
    receiver.answerWith(200);
    f.app.clock.advanceMinutes(10);
    await drain(f.app);
    await f.call('+966512345602');
    await drain(f.app);

    const first = await request(f.app.http).get(`/api/v1/alerts/deliveries?output=${out.name}&limit=2`).set(bearer(f.app.tokens.admin));
    expect(first.body.deliveries.map((d: any) => [d.outcome, d.httpStatus])).toEqual([['failed', 500], ['delivered', 200]]);
    expect(first.body.deliveries[0]).toMatchObject({ error: 'the receiver answered 500', latencyMs: expect.any(Number) });
    const next = await request(f.app.http).get(`/api/v1/alerts/deliveries?output=${out.id}&cursor=${first.body.nextCursor}`).set(bearer(f.app.tokens.admin));
    expect(next.body).toMatchObject({ deliveries: [{ outcome: 'delivered' }], nextCursor: null });
    const since = await request(f.app.http).get(`/api/v1/alerts/deliveries?since=2099-01-01T00:00:00Z`).set(bearer(f.app.tokens.admin));
    expect(since.body.deliveries).toEqual([]);
  });

  it('when an output is tested, then the receiver gets a sample alert marked as a test and the answer is reported', async () => {
    const out = await f.addOutput({ kind: 'webhook', name: 'siem', url: receiver.url });

    const res = await request(f.app.http).post(`/api/v1/alerts/outputs/${out.id}/test`).set(bearer(f.app.tokens.admin));

    expect(res.body).toMatchObject({ ok: true, status: 200, answer: 'ok', error: null });
    expect(receiver.received[0]!.json).toMatchObject({ test: true, event: 'hit-stored' });
  });
});
