import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import request from 'supertest';
import { bearer, buildTestApp, callParams, createChannel, plant, signedWebhook, type TestApp } from '../support/app.ts';

describe('channel verdicts', () => {
  let app: TestApp;
  beforeEach(() => {
    app = buildTestApp();
  });
  afterEach(() => app.dispose());

  const call = (to: string, from: string, name?: string) =>
    signedWebhook(app, '/twilio/voice', callParams(to, from, name ? { CallerName: name } : {}));
  const report = async () => (await request(app.http).get('/api/v1/report').set(bearer(app.tokens.investigator))).body;
  const byName = (r: any, name: string) => r.channels.find((c: any) => c.name === name);

  it('when only the canaries of one channel are called after planting, then that channel leaks and the others are clean', async () => {
    const a = await createChannel(app, { name: 'Vendor A', kind: 'call-centre-vendor' });
    const b = await createChannel(app, { name: 'Contractor B', kind: 'contractor-export' });
    await createChannel(app, { name: 'Unused', kind: 'other' });
    const ca = await plant(app, [a.id], 2);
    await plant(app, [b.id], 2);
    app.clock.advanceMinutes(7);
    expect((await call(ca[0]!.phoneNumber, '+966112345678', 'LEAK PRO')).status).toBe(200);
    app.clock.advanceMinutes(5);
    await call(ca[0]!.phoneNumber, '+966112345678');
    await call(ca[1]!.phoneNumber, '+966555000111');

    const r = await report();
    const va = byName(r, 'Vendor A');
    expect(va.verdict).toBe('leaking');
    expect(va.canaries).toBe(2);
    expect(va.canariesCalled).toBe(2);
    expect(va.hits).toBe(3);
    expect(va.firstContactMinutes).toBe(7);
    expect(va.callers).toEqual([{ number: '+966112345678', name: 'LEAK PRO' }, { number: '+966555000111', name: null }]);
    expect(byName(r, 'Contractor B').verdict).toBe('clean');
    expect(byName(r, 'Contractor B').firstContactMinutes).toBeNull();
    expect(byName(r, 'Unused').verdict).toBe('no-data');
  });

  it('when a canary shared by two channels is called, then both are only suspect', async () => {
    const a = await createChannel(app, { name: 'A', kind: 'crm' });
    const b = await createChannel(app, { name: 'B', kind: 'crm' });
    const [shared] = await plant(app, [a.id, b.id]);
    app.clock.advanceMinutes(3);
    await call(shared!.phoneNumber, '+966112345678');
    const r = await report();
    expect(byName(r, 'A').verdict).toBe('suspect');
    expect(byName(r, 'B').verdict).toBe('suspect');
  });

  it('when calls come before planting, to unknown numbers, or from a caller who dials at random, then they are noise, not evidence', async () => {
    const a = await createChannel(app, { name: 'A', kind: 'crm' });
    const [c] = await plant(app, [a.id]);
    // A robocaller rings a number no canary holds, then the canary: noise both times.
    app.clock.advanceMinutes(2);
    await call('+966593300099', '+966920000111', 'PROMO');
    await call(c!.phoneNumber, '+966920000111', 'PROMO');
    const r = await report();
    expect(byName(r, 'A').verdict).toBe('clean');
    expect(byName(r, 'A').hits).toBe(0);
    expect(r.noise.unmatchedHits).toBe(1);
    expect(r.noise.noiseCallers).toEqual(['+966920000111']);
  });

  it('when a call reaches a canary before its planting time, then it is classified before-planting', async () => {
    const a = await createChannel(app, { name: 'A', kind: 'crm' });
    const [c] = await plant(app, [a.id]);
    // Clock set back: the call is stamped before the planting.
    app.clock.set('2026-11-28T08:00:00.000Z');
    await call(c!.phoneNumber, '+966112345678');
    const hits = (await request(app.http).get('/api/v1/hits').set(bearer(app.tokens.investigator))).body.hits;
    expect(hits[0].classification).toBe('before-planting');
    expect(byName(await report(), 'A').verdict).toBe('clean');
  });
});
