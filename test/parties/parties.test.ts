import { afterEach, describe, expect, it } from 'vitest';
import request from 'supertest';
import { bearer, buildTestApp, callParams, createChannel, plant, signedWebhook, smsParams, type TestApp } from '../support/app.ts';

const DAY = 24 * 60;
const SCRIPT = 'Your water account is overdue. Pay today to avoid disconnection: ';

describe('parties: proposed groupings, investigators acts, and the party as the unit of evidence', () => {
  let app: TestApp;
  afterEach(async () => app?.dispose());

  const call = (to: string, from: string, name?: string) => signedWebhook(app, '/twilio/voice', callParams(to, from, name ? { CallerName: name } : {}));
  const sms = (to: string, from: string, body: string) => signedWebhook(app, '/twilio/sms', smsParams(to, from, body));
  const inv = () => bearer(app.tokens.investigator);
  const propose = async () => (await request(app.http).post('/api/v1/parties/propose').set(inv())).body.proposed as any[];
  const post = (path: string, body: unknown) => request(app.http).post(`/api/v1${path}`).set(inv()).send(body as object);

  it('when two firms send the same script with their own links and one firm texts from three numbers, then three numbers are proposed as one party and the other firm stays apart', async () => {
    app = buildTestApp();
    const ch = await createChannel(app, { name: 'Vendor A', kind: 'call-centre-vendor' });
    const ks = await plant(app, [ch.id], 4);
    const firmA = ['+966501110001', '+966551110002', '+966591110003'];
    for (const [i, from] of firmA.entries()) {
      app.clock.advanceMinutes(30);
      expect((await sms(ks[i]!.phoneNumber, from, `${SCRIPT}https://pay-water.example.com/${i}`)).status).toBe(200);
    }
    app.clock.advanceMinutes(30);
    await sms(ks[3]!.phoneNumber, '+966507770009', `${SCRIPT}https://water-bills.example.net/x`);
    const proposed = await propose();
    expect(proposed).toHaveLength(1);
    expect(proposed[0].numbers).toEqual([...firmA].sort());
    expect(proposed[0].grounds).toEqual([{ kind: 'sms-url', value: 'pay-water.example.com', numbers: [...firmA].sort() }]);
    expect(proposed[0].status).toBe('proposed');
  });

  it('when one Arabic name is written three ways (with diacritics, hamza, and in Latin letters), then the three numbers are one proposed party; a different name is not', async () => {
    app = buildTestApp();
    const ch = await createChannel(app, { name: 'CRM', kind: 'crm' });
    const ks = await plant(app, [ch.id], 4);
    await call(ks[0]!.phoneNumber, '+966501230001', 'أحمد الشهري');
    await call(ks[1]!.phoneNumber, '+966501230002', 'اَحمد  الشّهري');
    await call(ks[2]!.phoneNumber, '+966501230003', 'Ahmed Al-Shehri');
    await call(ks[3]!.phoneNumber, '+966501230004', 'Ahmed Al-Harbi');
    const proposed = await propose();
    expect(proposed.map((p) => p.numbers), JSON.stringify(proposed)).toEqual([['+966501230001', '+966501230002', '+966501230003']]);
    expect(proposed[0].grounds[0].kind).toBe('caller-name');
  });

  it('when investigators accept, merge, split, rename and annotate, then each act is in the evidence log with who did it, and bad acts are 400 with a code and change nothing', async () => {
    app = buildTestApp();
    const a = (await post('/parties', { name: 'Firm A', numbers: ['+966501110001', '+966501110002'] })).body;
    const b = (await post('/parties', { name: 'Firm B', numbers: ['+966501110003'] })).body;
    expect(a.status).toBe('accepted');
    expect((await post(`/parties/${a.id}/merge`, { from: [a.id] })).body.error).toBe('party-merge-self');
    expect((await post(`/parties/${a.id}/merge`, { from: [b.id, 'pty_nope'] })).body.error).toBe('unknown-party');
    expect((await request(app.http).get(`/api/v1/parties/${b.id}`).set(inv())).status).toBe(200); // the failed merge left b whole
    const merged = (await post(`/parties/${a.id}/merge`, { from: [b.id] })).body;
    expect(merged.numbers).toEqual(['+966501110001', '+966501110002', '+966501110003']);
    const bad = await post(`/parties/${a.id}/split`, { numbers: merged.numbers, name: 'All' });
    expect([bad.status, bad.body.error]).toEqual([400, 'party-split-last']);
    expect((await post(`/parties/${a.id}/split`, { numbers: ['+966509999999'], name: 'X' })).body.error).toBe('number-not-in-party');
    const split = (await post(`/parties/${a.id}/split`, { numbers: ['+966501110003'], name: 'Firm B again' })).body;
    expect(split.kept.numbers).toEqual(['+966501110001', '+966501110002']);
    expect(split.split.numbers).toEqual(['+966501110003']);
    expect((await post(`/parties/${a.id}/rename`, { name: 'Al-Noor Collections' })).body.name).toBe('Al-Noor Collections');
    expect((await post(`/parties/pty_nope/rename`, { name: 'x' })).body.error).toBe('unknown-party');
    expect((await post(`/parties/${a.id}/notes`, { text: '<b>says</b> he is from the "water company"' })).status).toBe(201);
    expect((await post('/parties', { name: 'Dup', numbers: ['+966501110001'] })).body.error).toBe('number-in-party');
    const log = (await request(app.http).get('/api/v1/evidence').set(inv())).body;
    expect(log.chain.ok ?? log.chain.valid ?? true).toBeTruthy();
    const acts = log.entries.filter((e: any) => e.kind.startsWith('party-'));
    expect(acts.map((e: any) => e.kind)).toEqual(['party-created', 'party-created', 'party-merged', 'party-merged-away', 'party-split', 'party-split-off', 'party-renamed', 'party-note']);
    for (const e of acts) expect(e.payload.actor).toMatch(/^investigator:tok_/);
    const page = (await request(app.http).get(`/api/v1/parties/${a.id}`).set(inv())).body;
    expect(page.notes[0].text).toBe('<b>says</b> he is from the "water company"');
    expect(page.canaries).toBeUndefined(); // investigators see the count, not the registry
  });

  it('when one firm calls from two numbers and investigators accept them as one party, then the report names the party as the channel\'s leak party, with both numbers and its access', async () => {
    app = buildTestApp();
    const ch = await createChannel(app, { name: 'Vendor A', kind: 'call-centre-vendor' });
    const nums = ['+966501110001', '+966551110002'];
    for (let i = 0; i < 4; i++) {
      const [k] = await plant(app, [ch.id], 1);
      app.clock.advanceMinutes(10 + i);
      await call(k!.phoneNumber, nums[i % 2]!, 'LEAK PRO');
      app.clock.advanceMinutes(300);
    }
    app.clock.advanceMinutes(3 * DAY);
    const before = (await request(app.http).get('/api/v1/report').set(inv())).body;
    expect(before.channels[0].party.number).not.toMatch(/^pty_/);
    const p = (await post('/parties', { name: 'Leak Pro Ltd', numbers: nums })).body;
    const r = (await request(app.http).get('/api/v1/report').set(inv())).body;
    const vendor = r.channels.find((c: any) => c.name === 'Vendor A');
    expect(vendor.party.number).toBe(p.id);
    expect(vendor.canariesCalled).toBe(4);
    expect(vendor.parties[0]).toMatchObject({ partyId: p.id, name: 'Leak Pro Ltd', canariesCalled: 4 });
    const party = r.parties.find((x: any) => x.partyId === p.id);
    expect(party).toMatchObject({ name: 'Leak Pro Ltd', numbers: nums, calls: 4, sms: 0 });
    expect(party.channels[0]).toMatchObject({ channelId: ch.id, access: 'live' });
    // P(the channel leaks and this party is its leak party): most of the channel's, never more.
    expect(party.channels[0].probability).toBeGreaterThan(0.5);
    expect(party.channels[0].probability).toBeLessThanOrEqual(vendor.probability + 1e-9);
    expect(vendor.parties[0].probability).toBe(party.channels[0].probability);
    expect(vendor.probability).toBeGreaterThan(before.channels[0].probability - 1e-9);
    const admin = (await request(app.http).get(`/api/v1/parties/${p.id}`).set(bearer(app.tokens.admin))).body;
    expect(admin.canaries).toHaveLength(4);
    const reads = (await request(app.http).get('/api/v1/audit/registry-reads').set(bearer(app.tokens.admin))).body.reads;
    expect(reads.some((x: any) => x.action === 'party-canaries' && x.subject === p.id)).toBe(true);
  });
});
