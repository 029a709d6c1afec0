// Everyday management: channels edited, given flows, archived, deleted; tokens listed and revoked.
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { bearer, buildTestApp, createChannel, plant, type TestApp } from '../support/app.ts';

let app: TestApp;
afterEach(async () => {
  await app?.dispose();
});

const api = () => request(app.http);

describe('channels', () => {
  it('when a channel is edited, then description, routing and flows change and kind and target stay', async () => {
    app = buildTestApp();
    const crm = await createChannel(app, { name: 'CRM', kind: 'crm' });
    const contractor = await createChannel(app, { name: 'Contractor B', kind: 'contractor-export' });
    const res = await api().patch(`/api/v1/channels/${crm.id}`).set(bearer(app.tokens.seeder))
      .send({ description: 'export at 02:00', routing: { queue: 'leaks' }, feeds: [{ channelId: contractor.id, delayMinutes: 120 }] });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ kind: 'crm', target: 'utility-sample', description: 'export at 02:00', routing: { queue: 'leaks' },
      feeds: [{ channelId: contractor.id, delayMinutes: 120 }] });
    expect(app.services.channels.get(crm.id).feeds).toEqual([{ channelId: contractor.id, delayMinutes: 120 }]);
    const entry = app.services.evidence.list(1000).find((e) => e.kind === 'channel-changed');
    expect(entry).toMatchObject({ subject: crm.id, payload: { feeds: { was: [], now: [{ channelId: contractor.id, delayMinutes: 120 }] } } });
    const kind = await api().patch(`/api/v1/channels/${crm.id}`).set(bearer(app.tokens.seeder)).send({ kind: 'other' });
    expect(kind.body.error).toBe('unknown-field');
  });

  it('when flows would go round in a circle or name a missing channel, then 400 and nothing changes', async () => {
    app = buildTestApp();
    const a = await createChannel(app, { name: 'A', kind: 'crm' });
    const b = await createChannel(app, { name: 'B', kind: 'crm', feeds: [{ channelId: a.id }] });
    const cycle = await api().patch(`/api/v1/channels/${a.id}`).set(bearer(app.tokens.seeder)).send({ feeds: [{ channelId: b.id }] });
    expect(cycle.status).toBe(400);
    expect(cycle.body.error).toBe('feed-cycle');
    const self = await api().patch(`/api/v1/channels/${a.id}`).set(bearer(app.tokens.seeder)).send({ feeds: [{ channelId: a.id }] });
    expect(self.body.error).toBe('feed-cycle');
    const missing = await api().patch(`/api/v1/channels/${a.id}`).set(bearer(app.tokens.seeder)).send({ feeds: [{ channelId: 'ch_nope' }] });
    expect(missing.body.error).toBe('unknown-channel');
    expect(app.services.channels.get(a.id).feeds).toEqual([]);
  });

  it('when a channel is archived, then it stays for the report but takes no new plantings, and is hidden from the default list', async () => {
    app = buildTestApp();
    const ch = await createChannel(app, { name: 'Vendor A', kind: 'call-centre-vendor' });
    await plant(app, [ch.id]);
    const archived = await api().post(`/api/v1/channels/${ch.id}/archive`).set(bearer(app.tokens.seeder)).send({});
    expect(archived.body.archivedAt).toBe(app.clock.now().toISOString());
    const refused = await api().post('/api/v1/canaries').set(bearer(app.tokens.seeder)).send({ channelIds: [ch.id] });
    expect(refused.status).toBe(409);
    expect(refused.body.error).toBe('channel-archived');
    expect((await api().get('/api/v1/channels').set(bearer(app.tokens.seeder))).body.channels).toEqual([]);
    expect((await api().get('/api/v1/channels?archived=true').set(bearer(app.tokens.seeder))).body.channels).toHaveLength(1);
    expect(app.services.report().channels.map((c) => c.name)).toContain('Vendor A');
  });

  it('when a channel was ever planted into, then delete is refused; a channel never used is deleted', async () => {
    app = buildTestApp();
    const used = await createChannel(app, { name: 'Vendor A', kind: 'call-centre-vendor' });
    const unused = await createChannel(app, { name: 'Typo', kind: 'other' });
    await plant(app, [used.id]);
    const refused = await api().delete(`/api/v1/channels/${used.id}`).set(bearer(app.tokens.seeder));
    expect(refused.status).toBe(409);
    expect(refused.body.error).toBe('channel-in-use');
    const deleted = await api().delete(`/api/v1/channels/${unused.id}`).set(bearer(app.tokens.seeder));
    expect(deleted.status).toBe(200);
    expect(app.services.channels.list().map((c) => c.id)).toEqual([used.id]);
  });
});

describe('tokens', () => {
  it('when a token is revoked through the API, then it stops working at once, and the list shows its last use', async () => {
    app = buildTestApp();
    await api().get('/api/v1/report').set(bearer(app.tokens.investigator));
    const listed = await api().get('/api/v1/tokens').set(bearer(app.tokens.admin));
    const inv = listed.body.tokens.find((t: { role: string }) => t.role === 'investigator');
    expect(inv.lastUsedAt).toBe(app.clock.now().toISOString());
    const revoked = await api().post(`/api/v1/tokens/${inv.id}/revoke`).set(bearer(app.tokens.admin)).send({});
    expect(revoked.body.revokedAt).not.toBeNull();
    expect((await api().get('/api/v1/report').set(bearer(app.tokens.investigator))).status).toBe(401);
  });
});
