// /api/v1/numbers, in-process with supertest: security staff manage numbers, investigators do not.
import request from 'supertest';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ProviderError } from '../../src/numbers/twilio/errors.ts';
import { bearer, call } from './support/actions.ts';
import { numbersTestApp, type NumbersTestApp } from './support/app.ts';

let app: NumbersTestApp;
afterEach(async () => {
  await app?.dispose();
});

const api = () => request(app.http);

describe('/api/v1/numbers', () => {
  it('when a seeder provisions and lists, then each number shows status, burn-in end, control flag, cost and hits, with the monthly total', async () => {
    app = numbersTestApp();

    const made = await api().post('/api/v1/numbers').set(bearer(app.tokens.seeder)).send({ country: 'US', count: 2 });
    await call(app, made.body.numbers[0].phoneNumber, '+12125550123');
    const listed = await api().get('/api/v1/numbers').set(bearer(app.tokens.seeder));

    expect(made.status).toBe(201);
    expect(listed.status).toBe(200);
    expect(listed.body.provider).toBe('simulated');
    expect(listed.body.numbers).toHaveLength(2);
    expect(listed.body.numbers[0]).toMatchObject({
      status: 'burn-in', burnInEndsAt: '2026-12-12T09:00:00.000Z', isControl: false, monthlyPrice: 1.15, currency: 'USD', hits: 1,
    });
    expect(listed.body.numbers[1].hits).toBe(0);
    expect(listed.body.monthlyTotals).toEqual([{ currency: 'USD', amount: 2.3, unpriced: 0 }]);
  });

  it('when a number is shown, released and synced, then each answers with the number’s new state', async () => {
    app = numbersTestApp();
    const made = await api().post('/api/v1/numbers/provision').set(bearer(app.tokens.admin)).send({ country: 'US', count: 1 });
    const id = made.body.numbers[0].id as string;

    const shown = await api().get(`/api/v1/numbers/${id}`).set(bearer(app.tokens.seeder));
    const released = await api().post(`/api/v1/numbers/${id}/release`).set(bearer(app.tokens.seeder)).send({});
    const synced = await api().post('/api/v1/numbers/sync').set(bearer(app.tokens.seeder));

    expect(shown.body).toMatchObject({ id, status: 'burn-in', canaryId: null, hits: 0 });
    expect(released.body).toMatchObject({ id, status: 'released', retiredReason: 'released-by-staff' });
    expect(synced.status).toBe(200);
    expect(synced.body.reconcile).toMatchObject({ held: 0, missing: [] });
    expect(synced.body.lifecycle).toEqual({ ready: [], retired: [], released: [], releaseFailed: [] });
  });

  it('when an investigator asks, then every numbers route is 403', async () => {
    app = numbersTestApp();
    const as = bearer(app.tokens.investigator);

    const answers = await Promise.all([
      api().get('/api/v1/numbers').set(as),
      api().get('/api/v1/numbers/num_x').set(as),
      api().post('/api/v1/numbers').set(as).send({ country: 'US' }),
      api().post('/api/v1/numbers/num_x/release').set(as),
      api().post('/api/v1/numbers/sync').set(as),
    ]);

    expect(answers.map((a) => a.status)).toEqual([403, 403, 403, 403, 403]);
    expect(answers[0]!.body).toEqual({ error: 'forbidden', message: 'role investigator may not numbers read' });
  });

  it('when numbers are read, then the registry read is audited', async () => {
    app = numbersTestApp();

    await api().get('/api/v1/numbers').set(bearer(app.tokens.seeder));

    expect(app.services.audit.list().map((r) => r.action)).toEqual(['list-numbers']);
  });

  it('when the input is bad or the number unknown, then 400 and 404 with stable codes', async () => {
    app = numbersTestApp();

    const bad = await api().post('/api/v1/numbers').set(bearer(app.tokens.seeder)).send({ country: 'United States', count: 2 });
    const missing = await api().get('/api/v1/numbers/num_nope').set(bearer(app.tokens.seeder));

    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: 'invalid-request', message: expect.stringContaining('country') });
    expect(missing.status).toBe(404);
    expect(missing.body.error).toBe('not-found');
  });

  it('when the provider refuses a purchase, then the answer carries its code and nothing is recorded', async () => {
    app = numbersTestApp();
    vi.spyOn(app.sim, 'purchase').mockRejectedValue(
      new ProviderError('number-unavailable', 'Buying +12025550100 failed: Twilio error 21422: PhoneNumber requested is not available', { providerCode: 21422 }),
    );

    const res = await api().post('/api/v1/numbers').set(bearer(app.tokens.seeder)).send({ country: 'US', count: 1 });

    expect(res.status).toBe(409);
    expect(res.body).toEqual({ error: 'number-unavailable', message: expect.stringContaining('Twilio error 21422') });
    expect(app.services.numberService.list().numbers).toEqual([]);
  });

  it('when a batch fails half-way, then the answer lists what was bought beside the error', async () => {
    app = numbersTestApp();
    const purchase = app.sim.purchase.bind(app.sim);
    vi.spyOn(app.sim, 'purchase').mockImplementationOnce(purchase).mockRejectedValueOnce(
      new ProviderError('provider-unavailable', 'Buying failed: Twilio error 20503: Service unavailable', { providerCode: 20503 }),
    );

    const res = await api().post('/api/v1/numbers').set(bearer(app.tokens.seeder)).send({ country: 'US', count: 2 });

    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ error: 'provider-unavailable', providerCode: 20503, message: expect.stringMatching(/^bought 1 of 2/) });
    expect(res.body.numbers).toHaveLength(1);
    expect(app.services.numberService.list().numbers.map((n) => n.id)).toEqual([res.body.numbers[0].id]);
  });
});
