// Lists that can grow come a page at a time, by cursor; nothing is seen twice or skipped.
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { bearer, buildTestApp, callParams, createChannel, plant, signedWebhook, type TestApp } from '../support/app.ts';

let app: TestApp;
afterEach(async () => {
  await app?.dispose();
});

const api = () => request(app.http);

async function call(to: string) {
  app.clock.advanceMinutes(1);
  const res = await signedWebhook(app, '/twilio/voice', callParams(to, '+12125550123'));
  expect(res.status).toBe(200);
}

describe('cursor pagination', () => {
  it('when hits are paged while new hits arrive, then every hit is seen exactly once', async () => {
    app = buildTestApp();
    const ch = await createChannel(app, { name: 'Vendor A', kind: 'call-centre-vendor' });
    const [canary] = await plant(app, [ch.id]);
    for (let i = 0; i < 7; i++) await call(canary!.phoneNumber);

    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const res = await api().get('/api/v1/hits').query({ limit: 3, ...(cursor ? { cursor } : {}) }).set(bearer(app.tokens.investigator));
      expect(res.status).toBe(200);
      expect(res.body.hits.length).toBeLessThanOrEqual(3);
      seen.push(...res.body.hits.map((h: { id: string }) => h.id));
      cursor = res.body.nextCursor ?? undefined;
      // A new call lands between pages, as it does on a live system.
      if (cursor && pages++ < 3) await call(canary!.phoneNumber);
    } while (cursor);

    const all = app.services.db.prepare('SELECT id FROM hits ORDER BY received_at, id').pluck().all() as string[];
    expect(all.length).toBeGreaterThan(7);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual(all);
  });

  it('when canaries are listed with a limit, then one page and a cursor for the rest, and the pages add up to all of them', async () => {
    app = buildTestApp();
    const ch = await createChannel(app, { name: 'Vendor A', kind: 'call-centre-vendor' });
    const made = await plant(app, [ch.id], 5);
    const first = await api().get('/api/v1/canaries?limit=2').set(bearer(app.tokens.seeder));
    expect(first.body.canaries).toHaveLength(2);
    expect(typeof first.body.nextCursor).toBe('string');
    const ids = [...first.body.canaries.map((c: { id: string }) => c.id)];
    let cursor = first.body.nextCursor as string | null;
    while (cursor) {
      const next = await api().get('/api/v1/canaries').query({ limit: 2, cursor }).set(bearer(app.tokens.seeder));
      ids.push(...next.body.canaries.map((c: { id: string }) => c.id));
      cursor = next.body.nextCursor;
    }
    expect(ids.sort()).toEqual(made.map((c) => c.id).sort());
  });

  it('when plantings and numbers are paged, then each page holds at most the limit and says whether more follow', async () => {
    app = buildTestApp();
    const ch = await createChannel(app, { name: 'Vendor A', kind: 'call-centre-vendor' });
    await plant(app, [ch.id], 3);
    const plantings = await api().get('/api/v1/plantings?limit=2').set(bearer(app.tokens.seeder));
    expect(plantings.body.plantings).toHaveLength(2);
    const rest = await api().get('/api/v1/plantings').query({ limit: 2, cursor: plantings.body.nextCursor }).set(bearer(app.tokens.seeder));
    expect(rest.body.plantings).toHaveLength(1);
    expect(rest.body.nextCursor).toBeNull();
    const numbers = await api().get('/api/v1/numbers?limit=1').set(bearer(app.tokens.seeder));
    expect(numbers.body.numbers).toHaveLength(1);
    expect(numbers.body.nextCursor).not.toBeNull();
    const reads = await api().get('/api/v1/audit/registry-reads?limit=1').set(bearer(app.tokens.admin));
    expect(reads.body.reads).toHaveLength(1);
    expect(reads.body.reads[0].action).toBe('list-numbers');
    expect(reads.body.nextCursor).not.toBeNull();
  });

  it('when a cursor is forged or belongs to another list, then 400 invalid-cursor', async () => {
    app = buildTestApp();
    const ch = await createChannel(app, { name: 'Vendor A', kind: 'call-centre-vendor' });
    await plant(app, [ch.id], 2);
    const page = await api().get('/api/v1/canaries?limit=1').set(bearer(app.tokens.seeder));
    const wrongList = await api().get('/api/v1/plantings').query({ cursor: page.body.nextCursor }).set(bearer(app.tokens.seeder));
    expect(wrongList.status).toBe(400);
    expect(wrongList.body.error).toBe('invalid-cursor');
    const junk = await api().get('/api/v1/hits?cursor=not-a-cursor').set(bearer(app.tokens.investigator));
    expect(junk.body.error).toBe('invalid-cursor');
  });

  it('when hits are filtered by channel and time, then only those come back', async () => {
    app = buildTestApp();
    const a = await createChannel(app, { name: 'Vendor A', kind: 'call-centre-vendor' });
    const b = await createChannel(app, { name: 'CRM', kind: 'crm' });
    const [ca] = await plant(app, [a.id]);
    const [cb] = await plant(app, [b.id]);
    await call(ca!.phoneNumber);
    const between = new Date(app.clock.now().getTime() + 30_000).toISOString();
    await call(ca!.phoneNumber);
    await call(cb!.phoneNumber);
    const res = await api().get('/api/v1/hits').query({ channelId: a.id, since: between }).set(bearer(app.tokens.investigator));
    expect(res.body.hits).toHaveLength(1);
    expect(res.body.hits[0].canaryId).toBe(ca!.id);
  });
});
