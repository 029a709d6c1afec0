// Learning a CRM target through its HTTP API: the records are read page by page from the CRM's
// list (rate limit and answer size respected), only shapes are kept, and canaries are then posted
// in the CRM's own shape. A CRM that cannot be read, or has too few records, teaches nothing.
import fs from 'node:fs';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { drawHistory } from '../../src/utility-sample/fill.ts';
import { bearer, buildTestApp, createChannel, plant, tempDir, type TestApp } from '../support/app.ts';
import { cliHarness } from '../support/cli.ts';
import { writeTargetsFile } from '../support/sql-servers.ts';
import { crmTarget, startFakeCrm, type FakeCrm } from './fake-crm.ts';

let crm: FakeCrm | undefined;
let app: TestApp | undefined;
let dir: string | undefined;
afterEach(async () => {
  await app?.dispose();
  await crm?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  app = crm = dir = undefined;
});

const LEARN = { path: '/tickets', resultsPath: 'items', pageSize: 50, requestsPerSecond: 50 };
type Real = ReturnType<typeof drawHistory>[number];

/** The CRM's own tickets: phones written +966 5X XXX XXXX, opened times without a zone. */
function seedReal(c: FakeCrm, n: number): Real[] {
  const real = drawHistory(n, 'ar-SA', { seed: 21, now: new Date('2026-11-27T12:00:00Z') });
  real.forEach((r, i) => {
    const id = `CRM-${500 + i}`;
    c.tickets.set(id, {
      id, status: 'closed',
      customer: { name: r.variant.fullName, phone: r.persona.phone.e164.replace(/^\+966(\d\d)(\d{3})(\d{4})$/, '+966 $1 $2 $3'), account: r.persona.accountNumber },
      subject: `Complaint ${r.variant.reference}`, description: r.variant.description, category: r.ticket.category, queue: 'Billing disputes',
      reference: r.variant.reference, openedAt: r.ticket.createdAt.slice(0, 19).replace('T', ' '), channel: 'phone',
    });
  });
  return real;
}

async function setup(o: { real?: number; target?: Record<string, unknown>; token?: string } = {}) {
  crm = await startFakeCrm();
  const real = seedReal(crm, o.real ?? 200);
  dir = tempDir('tracer-crm-profile-');
  app = buildTestApp({ env: { TARGETS_FILE: writeTargetsFile(dir, [crmTarget(crm, { learn: LEARN, ...o.target })]), CRM_TOKEN: o.token ?? crm.token } });
  const ch = await createChannel(app, { name: 'CRM B', kind: 'crm', target: 'crm', routing: { queue: 'Billing disputes' } });
  return { crm, app, ch, real };
}
const lists = (c: FakeCrm) => c.requests.filter((r) => r.method === 'GET' && r.path.includes('page='));
const posted = (c: FakeCrm) => c.requests.filter((r) => r.method === 'POST').map((r) => r.body as { customer: { phone: string }; openedAt: string; reference: string });

describe('a CRM target learned through its API', () => {
  it('when the CRM is learned, then its records are read in pages, only shapes are kept (hash in the evidence log), and canaries are posted in its shape', async () => {
    const { crm, app, ch, real } = await setup();
    const { profile, hash } = await app.services.profiles.learn('crm');
    expect(lists(crm).map((r) => r.path)).toEqual([1, 2, 3, 4, 5].map((p) => `/api/v2/tickets?page=${p}&per_page=50`));
    expect(lists(crm).every((r) => r.headers.authorization === `Bearer ${crm.token}`)).toBe(true);
    expect(profile.rowsPerTable).toEqual({ crm: 200 });
    const col = (c: string) => profile.columns.find((x) => x.column === c)!;
    expect(col('customer.phone')).toMatchObject({ kind: 'phone', phone: { mask: '+### ## ### ####', form: 'cc' } });
    expect(col('openedAt')).toMatchObject({ kind: 'datetime', date: { layout: 'space' } });
    expect(col('category').kind).toBe('category');
    // Fixed literals ("channel": "phone") are not the canary's to fill: not learned.
    expect(profile.columns.map((c) => c.column)).not.toContain('channel');
    const stored = JSON.stringify(app.services.profiles.load('crm'));
    for (const r of real) {
      for (const v of [r.variant.fullName, r.persona.phone.e164.slice(4), r.persona.accountNumber, r.variant.reference, r.variant.description]) expect(stored).not.toContain(v);
    }
    expect(app.services.evidence.list().find((e) => e.kind === 'profile')).toMatchObject({ subject: 'crm', payload: { hash } });

    const [c] = await plant(app, [ch.id]);
    const [body] = posted(crm);
    expect(body!.customer.phone).toMatch(/^\+966 5\d \d{3} \d{4}$/);
    expect(body!.customer.phone.replace(/\D/g, '')).toBe(c!.phoneNumber.slice(1));
    expect(body!.openedAt).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    const verified = await request(app.http).post('/api/v1/plantings/verify').set(bearer(app.tokens.seeder)).send({});
    expect(verified.body.results[0].state).toBe('intact');
    // After a crash, the ticket is found again by the values as they were written.
    const canary = app.services.canaries.get(c!.id);
    const again = await app.services.targets.get('crm')!.find!({ persona: canary.persona, ticket: canary.ticket, variant: canary.plantings[0]!.variant, channel: app.services.channels.get(ch.id) });
    expect(again).toMatchObject({ externalRef: c!.plantings[0]!.externalRef, details: { body } });

    // Learning again leaves the tracer's own ticket out.
    expect((await app.services.profiles.learn('crm')).profile.rowsPerTable).toEqual({ crm: 200 });
  });

  it('when the CRM\'s references count up, then each canary takes the next free one at write time, after real tickets created meanwhile', async () => {
    const { crm, app, ch } = await setup();
    // The CRM numbers its tickets T100500, T100501, ... in the order they were opened.
    [...crm.tickets.values()].forEach((t, i) => (t.reference = `T${100500 + i}`));
    const { profile } = await app.services.profiles.learn('crm');
    expect(profile.columns.find((c) => c.column === 'reference')!.code).toMatchObject({ sequence: 'counter', counter: { prefix: 'T', width: 6, medianGap: 1 } });

    const first = await plant(app, [ch.id], 2);
    // A real ticket opened by the CRM's staff between two plantings takes a number; the next canary follows it.
    crm.tickets.set('CRM-9000', { id: 'CRM-9000', status: 'new', reference: 'T100750', customer: { name: 'x' } });
    const [third] = await plant(app, [ch.id]);
    expect(posted(crm).map((b) => b.reference)).toEqual(['T100700', 'T100701', 'T100751']);
    const stored = (c: { plantings: Array<{ externalRef: string }> }) => crm.tickets.get(c.plantings[0]!.externalRef)!.reference;
    expect([...first, third!].map(stored)).toEqual(['T100700', 'T100701', 'T100751']);
    // What was written is what verify finds.
    const verified = await request(app.http).post('/api/v1/plantings/verify').set(bearer(app.tokens.seeder)).send({});
    expect(verified.body.results.map((r: { state: string }) => r.state)).toEqual(['intact', 'intact', 'intact']);
  });

  it('when the CRM answers 429 with Retry-After, then learning waits and reads on', async () => {
    const { crm, app } = await setup();
    crm.rateLimitNext(1, 0);
    const { profile } = await app.services.profiles.learn('crm');
    expect(profile.rowsPerTable).toEqual({ crm: 200 });
    expect(lists(crm)[0]!.path).toBe(lists(crm)[1]!.path);
  });

  it('when the CRM holds too few records, then learning fails with a clear message, nothing is stored and canaries keep the declared formats', async () => {
    const { crm, app, ch } = await setup({ real: 12 });
    await expect(app.services.profiles.learn('crm')).rejects.toMatchObject({ code: 'profile-too-few-rows', message: expect.stringMatching(/fewer than 30 real rows.*declared formats/) });
    expect(app.services.profiles.state('crm')).toMatchObject({ state: 'none', stored: false });
    const [c] = await plant(app, [ch.id]);
    expect(posted(crm)[0]!.customer.phone).toBe(app.services.canaries.get(c!.id).persona.phone.national);
  });

  it('when the CRM cannot be read (credentials refused, a page too large, no list), then learning says why and nothing is stored', async () => {
    const refused = await setup({ token: 'wrong-token' });
    await expect(refused.app.services.profiles.learn('crm')).rejects.toMatchObject({ code: 'target-auth-failed', message: expect.stringMatching(/nothing learned; canaries keep using declared formats/) });
    expect(refused.app.services.evidence.list().filter((e) => e.kind === 'profile')).toEqual([]);
    await app!.dispose();
    await crm!.close();

    const large = await setup({ target: { learn: { ...LEARN, maxPageBytes: 2048 } } });
    await expect(large.app.services.profiles.learn('crm')).rejects.toMatchObject({ code: 'target-answer-too-large' });
    await app!.dispose();
    await crm!.close();

    const noList = await setup({ target: { learn: { ...LEARN, resultsPath: 'data.tickets' } } });
    await expect(noList.app.services.profiles.learn('crm')).rejects.toMatchObject({ code: 'target-unreadable', message: expect.stringMatching(/no list at "data.tickets"/) });
    expect(noList.app.services.profiles.state('crm')).toMatchObject({ state: 'none', stored: false });
  });

  it('when the CRM declares no list to learn from, then learning is refused and says declared formats apply', async () => {
    crm = await startFakeCrm();
    dir = tempDir('tracer-crm-profile-');
    app = buildTestApp({ env: { TARGETS_FILE: writeTargetsFile(dir, [crmTarget(crm)]), CRM_TOKEN: crm.token } });
    await expect(app.services.profiles.learn('crm')).rejects.toMatchObject({ code: 'profile-unsupported', message: expect.stringMatching(/declared formats apply/) });
  });

  it('when the profile is of other body fields, then it is refused and canaries are posted in the declared formats', async () => {
    const { crm, app, ch } = await setup();
    const { profile } = await app.services.profiles.learn('crm');
    app.services.targets.get('crm')!.useProfile!({ ...profile, schemaHash: 'another body' });
    expect(app.services.targets.get('crm')!.profileState!()).toMatchObject({ state: 'refused', warning: expect.stringMatching(/other body fields/) });
    const [c] = await plant(app, [ch.id]);
    expect(posted(crm)[0]!.customer.phone).toBe(app.services.canaries.get(c!.id).persona.phone.national);
  });

  it('when the CRM is learned at the console, then the profile is shown with its hash; when the CRM is down, the previous profile stays in use', async () => {
    crm = await startFakeCrm();
    const real = seedReal(crm, 120);
    const c = crm;
    const cli = cliHarness('tracer-crm-cli-', (d) => ({ TARGETS_FILE: writeTargetsFile(d, [crmTarget(c, { learn: LEARN })]), CRM_TOKEN: c.token }));
    try {
      const out = await cli.tracer('targets', 'learn', 'crm');
      expect(out.stdout).toMatch(/learned target crm at \S+ from 120 crm/);
      expect(out.stdout).toMatch(/crm\.customer\.phone\s+phone\s+0%\s+written \+### ## ### ####/);
      expect(out.stdout).toMatch(/profile hash [0-9a-f]{64}/);
      for (const r of real) expect(out.stdout).not.toContain(r.persona.accountNumber);
      await c.close();
      const down = await cli.fails('targets', 'learn', 'crm');
      expect(down.stderr).toMatch(/^error: target-unavailable: .*nothing learned; canaries keep using its previous profile/);
      expect((await cli.json('targets', 'profile', 'crm')).state).toMatchObject({ state: 'applied', stored: true });
    } finally {
      cli.cleanup();
    }
  }, 120_000);
});
