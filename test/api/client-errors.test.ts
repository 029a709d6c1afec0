import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import request from 'supertest';
import { bearer, buildTestApp, type TestApp } from '../support/app.ts';

describe('client errors are 4xx with a code', () => {
  let app: TestApp;
  beforeEach(() => {
    app = buildTestApp();
  });
  afterEach(() => app.dispose());

  const post = (path: string) => request(app.http).post(path).set(bearer(app.tokens.seeder));

  it('when a body says gzip but is not gzip, then 400 invalid-content-encoding', async () => {
    const res = await post('/api/v1/channels').set('Content-Type', 'application/json').set('Content-Encoding', 'gzip')
      .send('{"name":"A","kind":"crm"}');
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid-content-encoding');
  });

  it('when a path holds malformed percent-encoding, then 400 invalid-url', async () => {
    const res = await request(app.http).get('/api/v1/canaries/%ZZ').set(bearer(app.tokens.seeder));
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid-url');
  });

  it('when a query string decodes to bytes that are not UTF-8, then 400 invalid-encoding', async () => {
    const res = await request(app.http).get('/api/v1/hits?canaryId=%FF').set(bearer(app.tokens.investigator));
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid-encoding');
  });

  it('when JSON is broken, too large, or of an unknown encoding, then 400, 413 and 415 with codes', async () => {
    const broken = await post('/api/v1/channels').set('Content-Type', 'application/json').send('{"name":');
    expect([broken.status, broken.body.error]).toEqual([400, 'invalid-json']);
    const big = await post('/api/v1/channels').send({ name: 'x'.repeat(200_000), kind: 'crm' });
    expect([big.status, big.body.error]).toEqual([413, 'payload-too-large']);
    const enc = await post('/api/v1/channels').set('Content-Type', 'application/json').set('Content-Encoding', 'br2').send('{}');
    expect([enc.status, enc.body.error]).toEqual([415, 'unsupported-media-type']);
  });

  it('when a JSON body holds bytes that are not UTF-8, then 400 invalid-encoding and nothing is stored', async () => {
    const body = Buffer.concat([Buffer.from('{"name":"Vendor '), Buffer.from([0xff, 0xfe]), Buffer.from('","kind":"crm"}')]);
    const res = await post('/api/v1/channels').set('Content-Type', 'application/json').serialize((b) => b).send(body);
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid-encoding');
    expect(app.services.channels.list()).toHaveLength(0);
  });

  it('when a JSON string holds a lone surrogate, then 400 invalid-encoding', async () => {
    const res = await post('/api/v1/channels').set('Content-Type', 'application/json').send('{"name":"A\\ud800","kind":"crm"}');
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid-encoding');
  });

  it('when a channel name carries NUL, ESC, a C1 control or a bidi override, then it is refused; an Arabic name with RLM is kept', async () => {
    for (const name of ['Vendor\u0000A', 'Vendor \u001b[31mA', 'Vendor\u0085A', 'Vendor \u202eA', 'Vendor \u2066A']) {
      const res = await post('/api/v1/channels').send({ name, kind: 'crm' });
      expect(res.status, JSON.stringify(name)).toBe(400);
      expect(res.body.error).toBe('invalid-request');
    }
    const routing = await post('/api/v1/channels').send({ name: 'B', kind: 'crm', routing: { queue: 'Q\u202e1' } });
    expect(routing.status).toBe(400);
    const ok = await post('/api/v1/channels').send({ name: '\u200fمورد الرياض', kind: 'crm' });
    expect(ok.status).toBe(201);
  });

  it('when a token label carries a bidi override, then it is refused', async () => {
    const res = await request(app.http).post('/api/v1/tokens').set(bearer(app.tokens.admin)).send({ role: 'investigator', label: 'ops\u202e' });
    expect(res.status).toBe(400);
  });
});
