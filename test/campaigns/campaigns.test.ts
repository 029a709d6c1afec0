import { afterEach, describe, expect, it } from 'vitest';
import request from 'supertest';
import { bearer, buildTestApp, callParams, createChannel, signedWebhook, type TestApp } from '../support/app.ts';

describe('campaigns', () => {
  let app: TestApp;
  afterEach(async () => app?.dispose());

  async function channels(n: number) {
    const out = [];
    for (let i = 0; i < n; i++) out.push(await createChannel(app, { name: `Path ${i + 1}`, kind: 'other' }));
    return out.map((c) => c.id);
  }
  const post = (path: string, body: unknown, token = app.tokens.seeder) => request(app.http).post(path).set(bearer(token)).send(body as object);

  it('when a split campaign is planted, then each canary is one persona and number with one ticket per channel it was given, and a call decodes to the channel', async () => {
    app = buildTestApp();
    const ids = await channels(8);
    const res = await post('/api/v1/campaigns', { name: 'Which of 8 paths?', channelIds: ids, design: 'split', budget: 6, maxLeakers: 1 });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ design: 'split', canaries: 6, status: 'running' });
    expect(res.body.plantings).toBe(8 * 2); // weight 2 on a budget of 6, as plan simulates: every channel in 2 canaries
    const db = app.services.db;
    const perCanary = db.prepare(`SELECT count(*) FROM plantings p JOIN canaries k ON k.id = p.canary_id WHERE k.campaign_id = ? GROUP BY p.canary_id`).pluck().all(res.body.id) as number[];
    expect(perCanary.reduce((a, b) => a + b, 0)).toBe(16);
    expect(Math.max(...perCanary)).toBeGreaterThan(1);
    // The leak is channel 1: its firm rings channel 1's canaries minutes after planting.
    const mine = db.prepare(`SELECT n.phone_number FROM plantings p JOIN canaries k ON k.id = p.canary_id JOIN canary_numbers n ON n.id = k.number_id
      WHERE p.channel_id = ?`).pluck().all(ids[0]) as string[];
    for (const phone of mine) {
      app.clock.advanceMinutes(6);
      await signedWebhook(app, '/twilio/voice', callParams(phone, '+966112345678'));
    }
    app.clock.advanceMinutes(5 * 24 * 60);
    const report = (await request(app.http).get('/api/v1/report').set(bearer(app.tokens.investigator))).body;
    const leaking = report.channels.filter((c: any) => c.verdict === 'leaking').map((c: any) => c.channelId);
    expect(leaking).toEqual([ids[0]]);
    expect(report.campaigns[0]).toMatchObject({ id: res.body.id, design: 'split', canaries: 6 });
  });

  it('when a staggered campaign is created, then later exposures are scheduled and the outbox plants them when due', async () => {
    app = buildTestApp();
    const ids = await channels(4);
    const res = await post('/api/v1/campaigns', { name: 'staggered', channelIds: ids, design: 'staggered', budget: 2, maxLeakers: 1, staggerMinutes: 60 });
    expect(res.status).toBe(201);
    expect(res.body.scheduled).toBeGreaterThan(0);
    const live = () => app.services.db.prepare(`SELECT count(*) FROM plantings WHERE status = 'planted'`).pluck().get() as number;
    const before = live();
    app.clock.advanceMinutes(24 * 60);
    await app.services.outbox.drain();
    expect(live()).toBe(before + res.body.scheduled);
    expect((await request(app.http).get(`/api/v1/campaigns/${res.body.id}`).set(bearer(app.tokens.seeder))).body.scheduled).toBe(0);
  });

  it('when a campaign is planted with a watcher, then it hears the canaries planted so far, up to all of the design', async () => {
    app = buildTestApp();
    const ids = await channels(4);
    const events: Array<[number, number]> = [];
    const c = await app.services.campaigns.create({ name: 'watched', channelIds: ids, design: 'split', budget: 3, maxLeakers: 1 }, undefined,
      { onProgress: (done, total) => events.push([done, total]) });
    expect(c.canaries).toBe(3);
    expect(events).toEqual([[3, 3]]); // one batch (the pipeline plants 500 at a time)
  });

  it('when a campaign is planned, then every design answers with its accuracy and cost and nothing is planted', async () => {
    app = buildTestApp();
    const ids = await channels(8);
    const res = await post('/api/v1/campaigns/plan', { name: 'plan', channelIds: ids, design: 'split', budget: 6, maxLeakers: 1, worlds: 10 });
    expect(res.status).toBe(200);
    expect(res.body.designs.map((d: any) => d.design)).toEqual(['dedicated', 'split', 'staggered', 'adaptive']);
    for (const d of res.body.designs) {
      expect(d.pExact).toBeGreaterThanOrEqual(0);
      expect(d.pExact).toBeLessThanOrEqual(1);
      expect(d.numbers).toBeGreaterThan(0);
    }
    expect(app.services.db.prepare('SELECT count(*) FROM canaries').pluck().get()).toBe(0);
  });

  it('when an investigator asks for campaigns, or a body carries an unknown field, then it is refused', async () => {
    app = buildTestApp();
    const ids = await channels(2);
    expect((await request(app.http).get('/api/v1/campaigns').set(bearer(app.tokens.investigator))).status).toBe(403);
    const bad = await post('/api/v1/campaigns', { name: 'x', channelIds: ids, design: 'dedicated', dryrun: true });
    expect(bad.status).toBe(400);
    expect(app.services.db.prepare('SELECT count(*) FROM campaigns').pluck().get()).toBe(0);
  });
});
