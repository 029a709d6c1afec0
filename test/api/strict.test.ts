// Issue 14, first list: input that should be refused is refused, with the field named.
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { bearer, buildTestApp, createChannel, type TestApp } from '../support/app.ts';

let app: TestApp;
afterEach(async () => {
  await app?.dispose();
});

const api = () => request(app.http);
const canaryCount = () => app.services.db.prepare('SELECT count(*) FROM canaries').pluck().get();

describe('strict API boundaries', () => {
  it('when dryRun is the string "true", then 400 and nothing is planted', async () => {
    app = buildTestApp();
    const ch = await createChannel(app, { name: 'Vendor A', kind: 'call-centre-vendor' });
    const res = await api().post('/api/v1/canaries').set(bearer(app.tokens.seeder)).send({ channelIds: [ch.id], dryRun: 'true' });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid-request');
    expect(res.body.message).toMatch(/dryRun/);
    expect(canaryCount()).toBe(0);
  });

  it('when a field is misspelt (dry_run), then 400 unknown-field naming it and nothing is planted', async () => {
    app = buildTestApp();
    const ch = await createChannel(app, { name: 'Vendor A', kind: 'call-centre-vendor' });
    const res = await api().post('/api/v1/canaries').set(bearer(app.tokens.seeder)).send({ channelIds: [ch.id], dry_run: true });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'unknown-field', message: 'unknown field: dry_run' });
    expect(canaryCount()).toBe(0);
  });

  it('when a channel is sent with "rooting" instead of "routing", then 400 unknown-field and no channel is made', async () => {
    app = buildTestApp();
    const res = await api().post('/api/v1/channels').set(bearer(app.tokens.seeder))
      .send({ name: 'CRM', kind: 'crm', rooting: { queue: 'leaks' } });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('unknown-field');
    expect(res.body.message).toContain('rooting');
    expect(app.services.channels.list()).toEqual([]);
  });

  it('when hits are filtered by a classification that does not exist, then 400 instead of an empty list', async () => {
    app = buildTestApp();
    const res = await api().get('/api/v1/hits?classification=bogus').set(bearer(app.tokens.investigator));
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/^classification/);
  });

  it('when a query names a filter the route does not have (afterId), then 400 unknown-field', async () => {
    app = buildTestApp();
    const res = await api().get('/api/v1/hits?afterId=h_1').set(bearer(app.tokens.investigator));
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: 'unknown-field', message: 'unknown field: afterId' });
  });

  it('when a count is not a whole number, then 400', async () => {
    app = buildTestApp();
    const ch = await createChannel(app, { name: 'Vendor A', kind: 'call-centre-vendor' });
    const res = await api().post('/api/v1/canaries').set(bearer(app.tokens.seeder)).send({ channelIds: [ch.id], count: 1.5 });
    expect(res.status).toBe(400);
    expect(canaryCount()).toBe(0);
  });

  it('when a nested object carries an unknown field, then the error names its path', async () => {
    app = buildTestApp();
    const res = await api().post('/api/v1/channels').set(bearer(app.tokens.seeder))
      .send({ name: 'CRM', kind: 'crm', dimensions: { sytem: 'x' } });
    expect(res.body).toMatchObject({ error: 'unknown-field', message: 'unknown field: dimensions.sytem' });
  });
});

describe('configuration', () => {
  it('when TWILIO_ACCOUNT_SID is set but empty, then it means unset: the simulated provider', () => {
    const config = loadConfig({ TWILIO_AUTH_TOKEN: 'test-auth-token-0123456789abcdef', TWILIO_ACCOUNT_SID: '', PUBLIC_BASE_URL: '', PORT: '' });
    expect(config.twilioAccountSid).toBeUndefined();
    expect(config.port).toBe(3000);
  });

  it('when the auth token is empty, then start-up stops naming it', () => {
    expect(() => loadConfig({ TWILIO_AUTH_TOKEN: '' })).toThrow(/TWILIO_AUTH_TOKEN/);
  });
});
