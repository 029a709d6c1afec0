// The dashboard's evidence page reads the same log as GET /api/v1/evidence, so it keeps the same
// seal: an investigator sees registry facts only of canaries a call has touched (audited), and a
// verification that fails says why, without naming a planting. The full verification runs on the
// evidence thread, not on the thread that answers Twilio.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import request from 'supertest';
import { bearer, buildTestApp, callParams, createChannel, plant, signedWebhook, type TestApp } from '../support/app.ts';
import { get, signIn } from './support.ts';

type Planted = { id: string; phoneNumber: string; plantings: Array<{ id: string; externalRef: string }> };

describe('the dashboard evidence page keeps the registry sealed', () => {
  let app: TestApp;
  let called: Planted;
  let uncalled: Planted;
  beforeEach(async () => {
    app = buildTestApp();
    const ch = await createChannel(app, { name: 'A', kind: 'crm' });
    [called, uncalled] = (await plant(app, [ch.id], 2)) as unknown as [Planted, Planted];
    app.clock.advanceMinutes(5);
    await signedWebhook(app, '/twilio/voice', callParams(called.phoneNumber, '+966501112233', { CallerName: 'AQUA FIX' }));
  });
  afterEach(() => app.dispose());

  const page = async (token: string) => get(app, await signIn(app, { token }), '/evidence');

  it('when an investigator opens it, then the canary nobody called is sealed, the called one is shown, and the read is audited', async () => {
    const res = await page(app.tokens.investigator);
    expect(res.status).toBe(200);
    expect(res.text).not.toContain(uncalled.id);
    expect(res.text).not.toContain(uncalled.plantings[0]!.id);
    expect(res.text).not.toContain(uncalled.phoneNumber);
    expect(res.text).toContain(called.id);
    expect(res.text).toContain('registry: no call has touched this canary');
    expect(app.services.audit.list().filter((r) => r.action === 'evidence')).toEqual([
      expect.objectContaining({ role: 'investigator', subject: called.id }),
    ]);
  });

  it('when an admin opens it, then every entry is shown and the read is audited as the whole log', async () => {
    const res = await page(app.tokens.admin);
    expect(res.text).toContain(uncalled.id);
    expect(app.services.audit.list().filter((r) => r.action === 'evidence')).toEqual([expect.objectContaining({ role: 'admin', subject: '*' })]);
  });

  it("when a hit's caller name was edited in the store, then the page says the evidence does not verify and names the hit", async () => {
    const hitId = app.services.db.prepare('SELECT id FROM hits').pluck().get() as string;
    app.services.db.prepare("UPDATE hits SET caller_name = 'CITY WATER' WHERE id = ?").run(hitId);
    const res = await page(app.tokens.investigator);
    const line = /<p class="chain broken" id="chain" role="alert">([\s\S]*?)<\/p>/.exec(res.text)?.[1] ?? '';
    // The page speaks the reader's language (Arabic by default); the problem itself is the verifier's words.
    expect(line).toContain('الأدلة لا تتحقق');
    expect(line).toContain('but Twilio sent');
    expect(line).toContain('AQUA FIX');
    expect(line).toContain(hitId);
  });

  it("when a planting was edited, then an investigator's page says a planting does not verify without naming it; an admin's names it", async () => {
    app.services.db.prepare("UPDATE plantings SET external_ref = 'T-999' WHERE id = ?").run(uncalled.plantings[0]!.id);
    const mine = await page(app.tokens.investigator);
    expect(mine.text).toContain('a plantings row does not verify (data)');
    expect(mine.text).not.toContain(uncalled.plantings[0]!.id);
    const admin = await page(app.tokens.admin);
    expect(admin.text).toContain(uncalled.plantings[0]!.id);
  });

  it('when the page or the API verifies, then the store is read on the evidence thread, and the answer is the one the CLI gives', async () => {
    expect(app.services.evidenceThread).not.toBeNull();
    const onTheWebhooksThread = vi.spyOn(app.services.evidence, 'verify');
    const api = await request(app.http).post('/api/v1/evidence/verify').set(bearer(app.tokens.admin)).send({});
    const html = await page(app.tokens.admin);
    expect(onTheWebhooksThread).not.toHaveBeenCalled();
    onTheWebhooksThread.mockRestore();
    const cli = app.services.evidenceService.verify();
    expect(api.body).toEqual(JSON.parse(JSON.stringify({ ...cli, checkpointFiles: undefined })));
    expect(api.body.ok).toBe(true);
    expect(html.text).toMatch(/class="chain ok"/);
  });

  it('when the log is paged through within a minute, then one verification serves every page and says when; a new entry or a minute later verifies again', async () => {
    const runs = vi.spyOn(app.services.evidenceThread!, 'verify');
    const jar = await signIn(app, { token: app.tokens.admin });
    const first = await get(app, jar, '/evidence?lang=en');
    await get(app, jar, '/evidence?after=1&lang=en');
    expect(runs).toHaveBeenCalledTimes(1);
    expect(first.text).toMatch(/class="chain ok"[^<]*verified <time datetime="2026-/);
    // The log grew (a call): the verdict must speak of it.
    await signedWebhook(app, '/twilio/voice', callParams(called.phoneNumber, '+966501112299'));
    await get(app, jar, '/evidence');
    expect(runs).toHaveBeenCalledTimes(2);
    app.clock.advanceMinutes(2);
    await get(app, jar, '/evidence');
    expect(runs).toHaveBeenCalledTimes(3);
  });
});

