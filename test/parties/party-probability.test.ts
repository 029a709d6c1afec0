import { afterEach, describe, expect, it } from 'vitest';
import request from 'supertest';
import { bearer, buildTestApp, callParams, createChannel, plant, signedWebhook, type TestApp } from '../support/app.ts';

const DAY = 24 * 60;
const FIRM = '+966501110001';

describe('parties: every party under a channel has its probability, and the lists are capped with totals', () => {
  let app: TestApp;
  afterEach(async () => app?.dispose());

  const call = (to: string, from: string) => signedWebhook(app, '/twilio/voice', callParams(to, from));
  const report = async (query = '') => (await request(app.http).get(`/api/v1/report${query}`).set(bearer(app.tokens.investigator))).body;

  it('when a firm leaks one channel and rings one canary of an innocent channel once, then it is that channel\'s likely party and gets a low probability on the innocent one', async () => {
    app = buildTestApp();
    const leaky = await createChannel(app, { name: 'Leaky vendor', kind: 'call-centre-vendor' });
    const innocent = await createChannel(app, { name: 'Innocent CRM', kind: 'crm' });
    const theirs = await plant(app, [innocent.id], 4);
    for (let i = 0; i < 4; i++) {
      const [k] = await plant(app, [leaky.id], 1);
      app.clock.advanceMinutes(10 + i);
      expect((await call(k!.phoneNumber, FIRM)).status).toBe(200);
      app.clock.advanceMinutes(240);
    }
    expect((await call(theirs[0]!.phoneNumber, FIRM)).status).toBe(200); // the firm's one ring on the innocent channel
    app.clock.advanceMinutes(3 * DAY);
    const r = await report();
    const byName = (n: string) => r.channels.find((c: any) => c.name === n);
    const onLeaky = byName('Leaky vendor').parties.find((p: any) => p.partyId === FIRM);
    const onInnocent = byName('Innocent CRM').parties.find((p: any) => p.partyId === FIRM);
    expect(byName('Leaky vendor').verdict).toBe('leaking');
    // The rest of the leaky channel's probability is "a recipient we never saw" (a second buyer of the leak).
    expect(onLeaky.probability).toBeGreaterThan(0.5);
    expect(onLeaky.probability).toBeLessThanOrEqual(byName('Leaky vendor').probability + 1e-9);
    expect(onInnocent, JSON.stringify(byName('Innocent CRM'))).toBeDefined();
    expect(onInnocent.probability).toBeLessThan(0.05);
    expect(onInnocent.probability).toBeLessThanOrEqual(byName('Innocent CRM').probability + 1e-9);
    const top = r.parties.find((p: any) => p.partyId === FIRM);
    expect(top.channels.map((c: any) => c.channelId)).toEqual([leaky.id, innocent.id]); // likeliest first
    expect(top.channels[1].probability).toBe(onInnocent.probability);
  });

  it('when a channel is rung by more parties than it shows, then it lists its likeliest with the total, and the top level pages parties with a cursor', async () => {
    app = buildTestApp();
    const ch = await createChannel(app, { name: 'Busy queue', kind: 'call-centre-vendor' });
    const ks = await plant(app, [ch.id], 5);
    for (const [i, k] of ks.entries()) {
      app.clock.advanceMinutes(15);
      await call(k.phoneNumber, `+96650222000${i}`);
      await call(k.phoneNumber, FIRM);
    }
    app.clock.advanceMinutes(2 * DAY);
    const r = await report();
    const busy = r.channels[0];
    expect(busy.partiesTotal).toBe(6);
    expect(busy.parties).toHaveLength(3);
    expect(busy.parties[0].partyId).toBe(FIRM); // five canaries rung: the decoded party, first
    for (const p of busy.parties) expect(Object.keys(p.access).sort()).toEqual(['class', 'contacts']);
    expect(r.partiesTotal).toBe(r.parties.length);
    expect(r.partiesNextCursor).toBeNull();
    const bad = await request(app.http).get('/api/v1/report?partiesCursor=bm9wZQ').set(bearer(app.tokens.investigator));
    expect([bad.status, bad.body.error]).toEqual([400, 'invalid-cursor']);
  });
});
