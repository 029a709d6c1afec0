import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import request from 'supertest';
import { bearer, buildTestApp, createChannel, plant, type TestApp } from '../support/app.ts';

describe('access by role', () => {
  let app: TestApp;
  beforeEach(() => {
    app = buildTestApp();
  });
  afterEach(() => app.dispose());

  it('when no token or an unknown token is sent, then 401', async () => {
    expect((await request(app.http).get('/api/v1/channels')).status).toBe(401);
    const res = await request(app.http).get('/api/v1/channels').set(bearer('ctr_not-a-real-token'));
    expect(res.status).toBe(401);
    expect(res.body.error).toBe('unauthenticated');
  });

  it('when an investigator asks for the canary registry, then 403; a seeder cannot read hits or the report', async () => {
    const inv = bearer(app.tokens.investigator);
    const seed = bearer(app.tokens.seeder);
    expect((await request(app.http).get('/api/v1/canaries').set(inv)).status).toBe(403);
    expect((await request(app.http).post('/api/v1/channels').set(inv).send({ name: 'x', kind: 'crm' })).status).toBe(403);
    expect((await request(app.http).get('/api/v1/hits').set(seed)).status).toBe(403);
    expect((await request(app.http).get('/api/v1/report').set(seed)).status).toBe(403);
    expect((await request(app.http).get('/api/v1/report').set(inv)).status).toBe(200);
    expect((await request(app.http).post('/api/v1/tokens').set(seed).send({ role: 'admin' })).status).toBe(403);
  });

  it('when the registry is read, then every read is audited with who and what', async () => {
    const ch = await createChannel(app, { name: 'A', kind: 'crm' });
    const [c] = await plant(app, [ch.id]);
    await request(app.http).get('/api/v1/canaries').set(bearer(app.tokens.seeder));
    await request(app.http).get(`/api/v1/canaries/${c!.id}`).set(bearer(app.tokens.seeder));
    const reads = (await request(app.http).get('/api/v1/audit/registry-reads').set(bearer(app.tokens.admin))).body.reads;
    expect(reads.map((r: any) => r.action)).toEqual(['show', 'list', 'create']);
    expect(reads[0].subject).toBe(c!.id);
    expect(reads.every((r: any) => r.role === 'seeder')).toBe(true);
  });

  it('when a token is created, then only its hash is stored and revoking it locks it out', async () => {
    const res = await request(app.http).post('/api/v1/tokens').set(bearer(app.tokens.admin)).send({ role: 'investigator', label: 'case 7' });
    expect(res.status).toBe(201);
    const { token, id } = res.body;
    const stored = app.services.db.prepare('SELECT token_hash FROM api_tokens WHERE id = ?').pluck().get(id) as string;
    expect(stored).not.toContain(token);
    expect(stored).toMatch(/^[0-9a-f]{64}$/);
    expect((await request(app.http).get('/api/v1/report').set(bearer(token))).status).toBe(200);
    app.services.tokens.revoke(id);
    expect((await request(app.http).get('/api/v1/report').set(bearer(token))).status).toBe(401);
  });

  it('when a token with an unknown role is asked for, then 400', async () => {
    const res = await request(app.http).post('/api/v1/tokens').set(bearer(app.tokens.admin)).send({ role: 'root' });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid-request');
  });
});

describe('channels API', () => {
  let app: TestApp;
  beforeEach(() => {
    app = buildTestApp();
  });
  afterEach(() => app.dispose());

  it('when a channel is created, then it is listed and shown', async () => {
    const created = await createChannel(app, { name: 'Vendor A night', kind: 'call-centre-vendor', description: 'night', dimensions: { shift: 'night' } });
    expect(created).toMatchObject({ name: 'Vendor A night', kind: 'call-centre-vendor', target: 'utility-sample' });
    const list = (await request(app.http).get('/api/v1/channels').set(bearer(app.tokens.investigator))).body.channels;
    expect(list.map((c: any) => c.id)).toEqual([created.id]);
    const shown = await request(app.http).get(`/api/v1/channels/${created.id}`).set(bearer(app.tokens.seeder));
    expect(shown.body.dimensions).toEqual({ shift: 'night' });
  });

  it('when input is bad, then a stable error code; duplicates conflict; unknown ids 404', async () => {
    const s = bearer(app.tokens.seeder);
    const bad = await request(app.http).post('/api/v1/channels').set(s).send({ name: 'x', kind: 'pigeon' });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toBe('invalid-request');
    expect(bad.body.message).toContain('kind');
    await createChannel(app, { name: 'dup', kind: 'crm' });
    expect((await request(app.http).post('/api/v1/channels').set(s).send({ name: 'dup', kind: 'crm' })).status).toBe(409);
    expect((await request(app.http).get('/api/v1/channels/ch_missing').set(s)).status).toBe(404);
    const big = await request(app.http).post('/api/v1/channels').set(s).send({ name: 'big', kind: 'crm', description: 'x'.repeat(150_000) });
    expect(big.status).toBe(413);
    expect(big.body.error).toBe('payload-too-large');
    expect((await request(app.http).get('/healthz')).body).toEqual({ status: 'ok' });
  });
});
