import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import request from 'supertest';
import { bearer, buildTestApp, callParams, signedWebhook, type TestApp } from '../support/app.ts';

describe('forgeries are counted, bounded and readable', () => {
  let app: TestApp;
  beforeEach(() => {
    app = buildTestApp();
  });
  afterEach(() => app.dispose());

  const forge = (from = '+966501112233', xff?: string) => {
    const r = request(app.http).post('/twilio/voice').type('form').set('X-Twilio-Signature', 'Zm9yZ2Vk');
    return (xff ? r.set('X-Forwarded-For', xff) : r).send({ ...callParams('+966593300150', from), Pad: 'x'.repeat(8000) });
  };
  const rows = () => app.services.db.prepare('SELECT count(*) FROM security_events').pluck().get() as number;

  it('when 300 forgeries of one kind arrive in a minute, then they are one row with count 300, one capped sample, and one forged-burst event', { timeout: 60_000 }, async () => {
    for (let i = 0; i < 6; i++) {
      const answers = await Promise.all(Array.from({ length: 50 }, () => forge()));
      expect(answers.every((a) => a.status === 403)).toBe(true);
    }
    expect(rows()).toBeLessThanOrEqual(1); // one row per kind and minute, whatever the flushes
    app.services.securityEvents.flush();
    const [ev] = app.services.securityEvents.page(10).events;
    expect(rows()).toBe(1);
    expect(ev!.count).toBe(300);
    expect(JSON.stringify(ev!.sample).length).toBeLessThanOrEqual(4200);
    const bursts = app.services.db.prepare("SELECT payload FROM outbox WHERE kind = 'alert-event'").pluck().all() as string[];
    expect(JSON.parse(bursts[0]!).event.count).toBeGreaterThanOrEqual(100); // raised when the threshold was crossed
    expect(bursts.map((b) => JSON.parse(b).event)).toEqual([
      { kind: 'forged-burst', count: expect.any(Number), windowSeconds: 60, path: '/twilio/voice', remoteAddrs: [expect.any(String)] },
    ]);
  });

  it('when forgeries come from more sources than the per-minute cap, then the rest are counted under (other) and rows stay bounded', { timeout: 60_000 }, async () => {
    for (let b = 0; b < 230; b += 46) await Promise.all(Array.from({ length: 46 }, (_, i) => forge('+966501112233', `198.51.100.${b + i}`)));
    app.services.securityEvents.flush();
    expect(rows()).toBeLessThanOrEqual(201);
    const total = app.services.db.prepare('SELECT sum(count) FROM security_events').pluck().get();
    expect(total).toBe(230);
    const other = app.services.db.prepare("SELECT count FROM security_events WHERE source = '(other)'").pluck().get();
    expect(other).toBe(30);
    const sampled = app.services.db.prepare('SELECT count(*) FROM security_events WHERE sample IS NOT NULL').pluck().get();
    expect(sampled).toBe(20);
  });

  it('when security events are read over the API, then seeders page them by cursor and investigators are refused', async () => {
    for (let m = 0; m < 3; m++) {
      await forge();
      app.clock.advanceMinutes(1);
    }
    const first = await request(app.http).get('/api/v1/security-events?limit=2').set(bearer(app.tokens.seeder));
    expect(first.status).toBe(200);
    expect(first.body.events).toHaveLength(2);
    const second = await request(app.http).get(`/api/v1/security-events?limit=2&cursor=${first.body.nextCursor}`).set(bearer(app.tokens.seeder));
    expect(second.body.events).toHaveLength(1);
    expect(second.body.nextCursor).toBeNull();
    const minutes = [...first.body.events, ...second.body.events].map((e: { minute: string }) => e.minute);
    expect(new Set(minutes).size).toBe(3);
    const bad = await request(app.http).get('/api/v1/security-events?cursor=zzz').set(bearer(app.tokens.seeder));
    expect([bad.status, bad.body.error]).toEqual([400, 'invalid-cursor']);
    const inv = await request(app.http).get('/api/v1/security-events').set(bearer(app.tokens.investigator));
    expect(inv.status).toBe(403);
  });

  it('when genuine webhooks arrive during a flood of forgeries, then each is stored', async () => {
    const genuine = callParams('+966593300150', '+966509998877');
    const results = await Promise.all([
      ...Array.from({ length: 50 }, () => forge()),
      signedWebhook(app, '/twilio/voice', genuine),
    ]);
    expect(results.at(-1)!.status).toBe(200);
    expect(app.services.hits.findBySid(genuine.CallSid!)).toBeDefined();
  });
});
