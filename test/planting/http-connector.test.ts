import fs from 'node:fs';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import request from 'supertest';
import { bearer, buildTestApp, createChannel, plant, tempDir, type TestApp } from '../support/app.ts';
import { writeTargetsFile } from '../support/sql-servers.ts';
import { crmTarget, startFakeCrm, type FakeCrm } from './fake-crm.ts';

describe('the HTTP connector against a CRM', () => {
  let crm: FakeCrm | undefined;
  let app: TestApp | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    await app?.dispose();
    await crm?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
    app = crm = dir = undefined;
  });

  async function setup(o: { target?: Record<string, unknown>; token?: string; queue?: string } = {}) {
    crm = await startFakeCrm();
    dir = tempDir('tracer-targets-');
    app = buildTestApp({ env: { TARGETS_FILE: writeTargetsFile(dir, [crmTarget(crm, o.target)]), CRM_TOKEN: o.token ?? crm.token } });
    const ch = await createChannel(app, { name: 'CRM B', kind: 'crm', target: 'crm', routing: { queue: o.queue ?? 'Billing disputes' } });
    return { crm, app, ch };
  }
  const post = (a: TestApp, path: string, body: object = {}) => request(a.http).post(`/api/v1${path}`).set(bearer(a.tokens.seeder)).send(body);
  const posts = (c: FakeCrm) => c.requests.filter((r) => r.method === 'POST');
  const canaries = (a: TestApp) => a.services.db.prepare('SELECT count(*) FROM canaries').pluck().get();

  it('when a canary is planted, then the CRM gets the declared body with auth and an idempotency key, and its id becomes the externalRef', async () => {
    const { crm, app, ch } = await setup();
    const [c] = await plant(app, [ch.id]);
    const canary = app.services.canaries.get(c!.id);
    const v = canary.plantings[0]!.variant;
    expect(c!.plantings[0]!.externalRef).toBe('CRM-1001');
    const [sent] = posts(crm);
    expect(sent!.path).toBe('/api/v2/tickets');
    expect(sent!.headers.authorization).toBe(`Bearer ${crm.token}`);
    expect(sent!.headers['idempotency-key']).toMatch(/^[0-9a-f-]{36}$/);
    expect(sent!.body).toEqual({
      customer: { name: v.fullName, phone: canary.persona.phone.national, account: canary.persona.accountNumber },
      subject: `Complaint ${v.reference}`, description: v.description, category: canary.ticket.category, queue: 'Billing disputes',
      reference: v.reference, openedAt: canary.ticket.createdAt, channel: 'phone',
    });
    expect((await post(app, '/plantings/verify')).body.results[0].state).toBe('intact');
  });

  it('when a value holds quotes and template braces, then it stays one JSON value and the document keeps its shape', async () => {
    const queue = 'Tier "2" }, "admin": true, {{persona.nationalId}}';
    const { crm, app, ch } = await setup({ queue });
    await plant(app, [ch.id]);
    const body = posts(crm)[0]!.body as Record<string, unknown>;
    expect(body.queue).toBe(queue);
    expect(body).not.toHaveProperty('admin');
  });

  it('when the CRM changes or deletes the ticket, then verify reports altered or missing; a status change alone is the CRM at work', async () => {
    const { crm, app, ch } = await setup();
    const [c] = await plant(app, [ch.id]);
    const ref = c!.plantings[0]!.externalRef;
    crm.tickets.get(ref)!.status = 'in-progress';
    expect((await post(app, '/plantings/verify')).body.results[0].state).toBe('intact');
    (crm.tickets.get(ref)!.customer as Record<string, string>).phone = '0500000000';
    const altered = (await post(app, '/plantings/verify')).body.results[0];
    expect(altered).toMatchObject({ state: 'altered', differences: [{ field: 'customer.phone', found: '0500000000' }] });
    crm.tickets.delete(ref);
    expect((await post(app, '/plantings/verify')).body.results[0]).toMatchObject({ state: 'missing' });
    expect(app.services.evidence.list().filter((e) => e.kind === 'planting-finding')).toHaveLength(2);
  });

  it('when a canary is withdrawn with DELETE, then exactly its ticket is deleted', async () => {
    const { crm, app, ch } = await setup();
    const [a, b] = await plant(app, [ch.id], 2);
    const res = await post(app, `/canaries/${a!.id}/withdraw`);
    expect(res.body.results).toMatchObject([{ outcome: 'withdrawn' }]);
    expect(crm.requests.at(-1)).toMatchObject({ method: 'DELETE', path: `/api/v2/tickets/${a!.plantings[0]!.externalRef}` });
    expect([...crm.tickets.keys()]).toEqual([b!.plantings[0]!.externalRef]);
  });

  it('when withdrawal is configured as a status change, then the ticket is closed with PATCH, not deleted', async () => {
    const { crm, app, ch } = await setup({ target: { withdraw: { method: 'PATCH', path: '/tickets/{{externalRef}}', body: { status: 'closed', resolution: 'duplicate' } } } });
    const [c] = await plant(app, [ch.id]);
    await post(app, `/canaries/${c!.id}/withdraw`);
    expect(crm.tickets.get(c!.plantings[0]!.externalRef)).toMatchObject({ status: 'closed', resolution: 'duplicate' });
  });

  it('when the CRM answers 503 twice, then the tracer retries and plants exactly one ticket', async () => {
    const { crm, app, ch } = await setup();
    crm.failNext(2, 503);
    const [c] = await plant(app, [ch.id]);
    expect(posts(crm)).toHaveLength(3);
    expect(crm.tickets.size).toBe(1);
    expect(c!.plantings[0]!.externalRef).toBe('CRM-1001');
  });

  it('when the CRM answers too slowly once, then the retry carries the same idempotency key and no second ticket is made', async () => {
    const { crm, app, ch } = await setup();
    crm.slowNext(1, 4000);
    const [c] = await plant(app, [ch.id]);
    const [first, second] = posts(crm);
    expect(second!.headers['idempotency-key']).toBe(first!.headers['idempotency-key']);
    expect(crm.tickets.size).toBe(1);
    expect(c!.plantings[0]!.externalRef).toBe([...crm.tickets.keys()][0]);
  });

  it('when the CRM rejects the request with 4xx, then no retry, a clear error, and nothing is recorded', async () => {
    const { crm, app, ch } = await setup({ target: { create: { ...crmTarget({ url: '' }).create, body: { subject: '{{variant.reference}}' } } } });
    const res = await post(app, '/canaries', { channelIds: [ch.id] });
    expect(res.status).toBe(502);
    expect(res.body.error).toBe('target-rejected');
    expect(res.body.message).toBe('target "crm": the CRM rejected the request: HTTP 422: {"error":"customer.name is required"}');
    expect(posts(crm)).toHaveLength(1);
    expect(canaries(app)).toBe(0);
  });

  it('when the CRM refuses the token, then the error says so and nothing is recorded', async () => {
    const { app, ch } = await setup({ token: 'expired-token' });
    const res = await post(app, '/canaries', { channelIds: [ch.id] });
    expect(res.body.error).toBe('target-auth-failed');
    expect(res.body.message).toMatch(/^target "crm": the CRM refused the credentials: HTTP 401/);
    expect(canaries(app)).toBe(0);
  });

  it('when the CRM is down, then the tracer gives up after its retries with a clear error and nothing is recorded', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as net.AddressInfo).port;
        s.close(() => resolve(p));
      });
    });
    const { app, ch } = await setup({ target: { baseUrl: `http://127.0.0.1:${port}/api/v2` } });
    const res = await post(app, '/canaries', { channelIds: [ch.id] });
    expect(res.status).toBe(502);
    expect(res.body.error).toBe('target-unavailable');
    expect(res.body.message).toMatch(/^target "crm": the CRM did not answer usably: ECONNREFUSED/);
    expect(canaries(app)).toBe(0);
  });

  it('when the CRM never answers in time, then the planting stays pending and reconcile finds the ticket by search', async () => {
    const { crm, app, ch } = await setup({ target: { retries: 1 } });
    crm.slowNext(2, 4000);
    const res = await post(app, '/canaries', { channelIds: [ch.id] });
    expect(res.status).toBe(504);
    expect(res.body.error).toBe('planting-outcome-unknown');
    const [pending] = app.services.plantings.list({ status: 'pending' });
    expect(pending).toBeDefined();
    expect(crm.tickets.size).toBe(1);
    app.clock.advanceMinutes(15);
    const rec = await post(app, '/plantings/reconcile', {});
    expect(rec.body.results).toEqual([{ plantingId: pending!.id, target: 'crm', outcome: 'planted', externalRef: [...crm.tickets.keys()][0] }]);
    expect(app.services.plantings.get(pending!.id)).toMatchObject({ status: 'planted', plantedAt: pending!.createdAt });
    expect((await post(app, '/plantings/verify')).body.results[0].state).toBe('intact');
  });
});
