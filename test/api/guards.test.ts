// Issue 14, guards: a live canary's number is not released by accident; big bills are confirmed first.
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { bearer, buildTestApp, createChannel, plant, type TestApp } from '../support/app.ts';

let app: TestApp;
afterEach(async () => {
  await app?.dispose();
});

const api = () => request(app.http);
const numberIdOf = (phone: string) => app.services.db.prepare('SELECT id FROM canary_numbers WHERE phone_number = ?').pluck().get(phone) as string;

describe('releasing a planted canary\'s number', () => {
  it('when a planted canary still carries the number, then release is refused with 409 number-in-use and nothing changes', async () => {
    app = buildTestApp();
    const ch = await createChannel(app, { name: 'Vendor A', kind: 'call-centre-vendor' });
    const [canary] = await plant(app, [ch.id]);
    const id = numberIdOf(canary!.phoneNumber);
    const res = await api().post(`/api/v1/numbers/${id}/release`).set(bearer(app.tokens.seeder)).send({ now: true });
    expect(res.status).toBe(409);
    expect(res.body.error).toBe('number-in-use');
    expect(res.body.message).toContain(`tracer canaries withdraw ${canary!.id}`);
    expect(app.services.numberService.show(id).status).toBe('assigned');
  });

  it('when forced without a reason, then 400; with a reason, then released and the reason is in the evidence log', async () => {
    app = buildTestApp();
    const ch = await createChannel(app, { name: 'Vendor A', kind: 'call-centre-vendor' });
    const [canary] = await plant(app, [ch.id]);
    const id = numberIdOf(canary!.phoneNumber);
    const bare = await api().post(`/api/v1/numbers/${id}/release`).set(bearer(app.tokens.seeder)).send({ force: true });
    expect(bare.status).toBe(400);
    const forced = await api().post(`/api/v1/numbers/${id}/release`).set(bearer(app.tokens.seeder))
      .send({ force: true, reason: 'number compromised, ticket closed by hand', now: true });
    expect(forced.status).toBe(200);
    expect(forced.body.status).toBe('released');
    const entry = app.services.evidence.list(1000).find((e) => e.kind === 'number-release-forced');
    expect(entry).toMatchObject({ subject: id, payload: { canaryId: canary!.id, reason: 'number compromised, ticket closed by hand' } });
    expect(app.services.evidence.verify().ok).toBe(true);
  });

  it('when the canary was withdrawn first, then the number goes without force', async () => {
    app = buildTestApp();
    const ch = await createChannel(app, { name: 'Vendor A', kind: 'call-centre-vendor' });
    const [canary] = await plant(app, [ch.id]);
    await api().post(`/api/v1/canaries/${canary!.id}/withdraw`).set(bearer(app.tokens.seeder)).send({});
    const res = await api().post(`/api/v1/numbers/${numberIdOf(canary!.phoneNumber)}/release`).set(bearer(app.tokens.seeder)).send({ now: true });
    expect(res.status).toBe(200);
  });
});

describe('confirming a monthly cost over the threshold', () => {
  it('when a provisioning costs more a month than COST_CONFIRM_THRESHOLD, then 409 with the cost and nothing bought; confirmCost buys', async () => {
    app = buildTestApp({ env: { COST_CONFIRM_THRESHOLD: '2' } });
    const refused = await api().post('/api/v1/numbers').set(bearer(app.tokens.seeder)).send({ country: 'US', count: 2 });
    expect(refused.status).toBe(409);
    expect(refused.body.error).toBe('cost-confirmation-required');
    expect(refused.body.message).toContain('2.3 USD a month');
    expect(app.services.numberService.list().numbers).toEqual([]);
    const bought = await api().post('/api/v1/numbers').set(bearer(app.tokens.seeder)).send({ country: 'US', count: 2, confirmCost: true });
    expect(bought.status).toBe(201);
    expect(bought.body.numbers).toHaveLength(2);
  });

  it('when a campaign\'s numbers cost more than the threshold, then 409 and no canary; confirmCost plants', async () => {
    app = buildTestApp({ env: { COST_CONFIRM_THRESHOLD: '30' } });
    const ch = await createChannel(app, { name: 'Vendor A', kind: 'call-centre-vendor' });
    const refused = await api().post('/api/v1/canaries').set(bearer(app.tokens.seeder)).send({ channelIds: [ch.id], count: 2 });
    expect(refused.status).toBe(409);
    expect(refused.body.error).toBe('cost-confirmation-required');
    expect(app.services.db.prepare('SELECT count(*) FROM canaries').pluck().get()).toBe(0);
    const ok = await api().post('/api/v1/canaries').set(bearer(app.tokens.seeder)).send({ channelIds: [ch.id], count: 2, confirmCost: true });
    expect(ok.status).toBe(201);
  });
});
