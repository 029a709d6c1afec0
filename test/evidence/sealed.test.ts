import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import request from 'supertest';
import { bearer, buildTestApp, callParams, createChannel, plant, signedWebhook, type TestApp } from '../support/app.ts';

describe('the evidence log does not leak the registry', () => {
  let app: TestApp;
  let called: { id: string; phoneNumber: string; plantings: Array<{ externalRef: string }> };
  let uncalled: { id: string; phoneNumber: string; plantings: Array<{ externalRef: string }> };
  beforeEach(async () => {
    app = buildTestApp();
    const ch = await createChannel(app, { name: 'A', kind: 'crm' });
    [called, uncalled] = (await plant(app, [ch.id], 2)) as unknown as [typeof called, typeof uncalled];
    app.clock.advanceMinutes(5);
    await signedWebhook(app, '/twilio/voice', callParams(called.phoneNumber, '+966501112233'));
  });
  afterEach(() => app.dispose());

  const get = (token: string, q = '') => request(app.http).get(`/api/v1/evidence${q}`).set(bearer(token));
  const reads = () => app.services.audit.list();

  it('when an investigator reads the log, then canaries nobody called are sealed and the called one is shown, audited', async () => {
    const res = await get(app.tokens.investigator);
    expect(res.status).toBe(200);
    const text = JSON.stringify(res.body.entries);
    const payloads = res.body.entries.map((e: { payload: Record<string, unknown> }) => e.payload);
    expect(text).not.toContain(uncalled.id);
    expect(text).not.toContain(uncalled.phoneNumber);
    // A ticket key is short ("62"): look for it where it would be, not in the hex of a hash.
    expect(payloads.filter((p: Record<string, unknown>) => p.externalRef === uncalled.plantings[0]!.externalRef)).toEqual([]);
    expect(payloads.filter((p: Record<string, unknown>) => p.externalRef === called.plantings[0]!.externalRef)).toHaveLength(1);
    expect(text).toContain(called.id);
    expect(res.body.sealed).toBeGreaterThan(0);
    expect(reads()[0]).toMatchObject({ role: 'investigator', action: 'evidence', subject: called.id });
  });

  it('when an admin reads the log, then everything is shown and the read is audited', async () => {
    const res = await get(app.tokens.admin);
    expect(JSON.stringify(res.body.entries)).toContain(uncalled.id);
    expect(reads()[0]).toMatchObject({ role: 'admin', action: 'evidence', subject: '*' });
  });

  it('when the log is filtered and paged, then kind, subject, since and the cursor narrow it, and the chain state says how far it is verified', async () => {
    const hits = await get(app.tokens.admin, '?kind=hit');
    expect(hits.body.entries.map((e: { kind: string }) => e.kind)).toEqual(['hit']);
    expect(hits.body.chain).toMatchObject({ ok: true, verifiedUpTo: hits.body.chain.headSeq });
    const first = await get(app.tokens.admin, '?limit=1');
    expect(first.body.entries).toHaveLength(1);
    const next = await get(app.tokens.admin, `?limit=100&cursor=${first.body.nextCursor}`);
    expect(next.body.entries[0].seq).toBe(first.body.entries[0].seq + 1);
    expect(next.body.nextCursor).toBeNull();
    const bySubject = await get(app.tokens.admin, `?subject=${hits.body.entries[0].subject}`);
    expect(bySubject.body.entries).toHaveLength(1);
    const later = await get(app.tokens.admin, `?since=${encodeURIComponent('2030-01-01T00:00:00Z')}`);
    expect(later.body.entries).toEqual([]);
    const bad = await get(app.tokens.admin, '?verbose=1');
    expect(bad.status).toBe(400);
  });
});
