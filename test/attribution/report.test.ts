import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import request from 'supertest';
import { bearer, buildTestApp, callParams, createChannel, plant, signedWebhook, tempDir, type TestApp } from '../support/app.ts';
import { writeTargetsFile } from '../support/sql-servers.ts';
import type { PlantingTarget } from '../../src/planting/target.ts';

const DAY = 24 * 60;
const FIRM = '+966112345678';

describe('channel verdicts from the noise-aware decoder', () => {
  let app: TestApp;
  let dir: string | undefined;
  afterEach(async () => {
    await app?.dispose();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  const call = (to: string, from: string, name?: string) =>
    signedWebhook(app, '/twilio/voice', callParams(to, from, name ? { CallerName: name } : {}));
  const report = async (query = '') => {
    const res = await request(app.http).get(`/api/v1/report${query}`).set(bearer(app.tokens.investigator));
    expect(res.status).toBe(200);
    return res.body;
  };
  const byName = (r: any, name: string) => r.channels.find((c: any) => c.name === name);
  /** The firm rings each canary a few minutes after it was planted. */
  async function leakTo(canaries: Array<{ phoneNumber: string }>, from = FIRM) {
    for (const c of canaries) {
      app.clock.advanceMinutes(9);
      expect((await call(c.phoneNumber, from, 'LEAK PRO')).status).toBe(200);
    }
  }

  it('when only the canaries of one channel are called soon after planting, then it leaks with its reasons, and channels whose canaries stay silent for days are clean', async () => {
    app = buildTestApp();
    const a = await createChannel(app, { name: 'Vendor A', kind: 'call-centre-vendor' });
    const b = await createChannel(app, { name: 'Contractor B', kind: 'contractor-export' });
    await createChannel(app, { name: 'Unused', kind: 'other' });
    const ca = await plant(app, [a.id], 3);
    await plant(app, [b.id], 3);
    await leakTo(ca);
    await call(ca[0]!.phoneNumber, FIRM); // calls again: one canary, counted once as evidence
    app.clock.advanceMinutes(4 * DAY);
    const r = await report();
    const va = byName(r, 'Vendor A');
    expect(va.verdict).toBe('leaking');
    expect(va.probability).toBeGreaterThan(0.95);
    expect(va.exposedCanaries).toBe(3);
    expect(va.canariesCalled).toBe(3);
    expect(va.hits).toBe(4);
    expect(va.party).toEqual({ number: FIRM, name: 'LEAK PRO' });
    expect(va.hitIds).toHaveLength(3);
    expect(va.reasons[0]).toMatch(/^3 of 3 canaries exposed to this channel .*called by the same caller \+966112345678/);
    const cb = byName(r, 'Contractor B');
    expect(cb.verdict).toBe('clean');
    expect(cb.probability).toBeLessThan(0.01);
    expect(byName(r, 'Unused').verdict).toBe('no-data');
    expect(r.model).toMatchObject({ prior: 0.05, method: 'exact' });
    expect(r.model.backgroundPerNumberDay).toBeGreaterThan(0);
    expect(r.model.callBackProbability).toBeGreaterThan(0.5);
  });

  it('when the leaking firm then rings a number no canary holds, then its evidence stands: the channel still leaks (a caller is weighed, not banned)', async () => {
    app = buildTestApp();
    const a = await createChannel(app, { name: 'A', kind: 'crm' });
    const ca = await plant(app, [a.id], 3);
    await leakTo(ca);
    app.clock.advanceMinutes(DAY);
    await call('+966593300099', FIRM); // unmatched: no canary holds it
    app.clock.advanceMinutes(3 * DAY);
    const r = await report();
    expect(byName(r, 'A').verdict).toBe('leaking');
    expect(byName(r, 'A').hits).toBe(3);
    expect(r.noise.unmatchedHits).toBe(1);
    expect(r.noise.noiseCallers).toEqual([FIRM]);
    expect(byName(r, 'A').reasons.join(' ')).toContain('weighed down, not ruled out');
  });

  it('when one of fifty canaries gets one call days after planting, then the channel is not accused', async () => {
    app = buildTestApp();
    const a = await createChannel(app, { name: 'Fifty', kind: 'crm' });
    const cs = await plant(app, [a.id], 50);
    app.clock.advanceMinutes(5 * DAY);
    await call(cs[17]!.phoneNumber, '+966500000001');
    app.clock.advanceMinutes(DAY);
    const ch = byName(await report(), 'Fifty');
    expect(ch.canariesCalled).toBe(1);
    expect(ch.verdict).toBe('clean');
    expect(ch.probability).toBeLessThan(0.05);
  });

  it('when a robocaller sweeps every canary at random times, then no channel is accused', async () => {
    app = buildTestApp();
    const a = await createChannel(app, { name: 'A', kind: 'crm' });
    const b = await createChannel(app, { name: 'B', kind: 'crm' });
    const all = [...(await plant(app, [a.id], 3)), ...(await plant(app, [b.id], 3))];
    app.clock.advanceMinutes(2 * DAY);
    for (const n of ['+966593300011', '+966593300012', '+966593300013']) await call(n, '+966920000111', 'PROMO');
    for (const c of all) {
      app.clock.advanceMinutes(97);
      await call(c.phoneNumber, '+966920000111', 'PROMO');
    }
    app.clock.advanceMinutes(DAY);
    const r = await report();
    for (const name of ['A', 'B']) expect(byName(r, name).verdict).not.toMatch(/leaking|suspect/);
  });

  it('when calls come from withheld numbers, then they are not one caller and none is named as the party', async () => {
    app = buildTestApp();
    const a = await createChannel(app, { name: 'A', kind: 'crm' });
    const cs = await plant(app, [a.id], 3);
    for (const c of cs) {
      app.clock.advanceMinutes(3 * 60);
      await call(c.phoneNumber, 'Anonymous');
    }
    app.clock.advanceMinutes(DAY);
    const ch = byName(await report(), 'A');
    expect(ch.party).toBeNull();
    expect(ch.callers).toEqual([]);
    expect(ch.reasons[0]).not.toContain('Anonymous');
  });

  it('when an intake call is confirmed later with the earlier time it was made, then calls before the confirmation are judged as evidence', async () => {
    dir = tempDir('tracer-late-');
    const target = { name: 'call-centre', kind: 'intake-call', intakeLine: '920 001 234', hours: 'Sun–Thu 08:00–16:00' };
    app = buildTestApp({ env: { TARGETS_FILE: writeTargetsFile(dir, [target]) } });
    const ch = await createChannel(app, { name: 'Vendor night shift', kind: 'call-centre-vendor', target: 'call-centre' });
    const cs = await plant(app, [ch.id], 2);
    app.clock.advanceMinutes(30);
    const madeAt = app.clock.now().toISOString(); // staff phone both tickets in now...
    await leakTo(cs); // ...the firm calls within minutes...
    app.clock.advanceMinutes(2 * DAY); // ...and staff confirm two days later, with the time of the calls
    for (const c of cs) {
      const planting = app.services.canaries.get(c.id).plantings[0]!;
      const res = await request(app.http).post(`/api/v1/plantings/${planting.id}/confirm`).set(bearer(app.tokens.seeder)).send({ ref: `T-${c.id.slice(-4)}`, at: madeAt });
      expect(res.status).toBe(200);
    }
    const r = byName(await report(), 'Vendor night shift');
    expect(r.verdict).toBe('leaking');
    expect(r.canariesCalled).toBe(2);
  });

  it('when a canary is rolled back after its ticket reached a target, then a later call to its number is evidence against that channel, not noise', async () => {
    const failing: PlantingTarget = { name: 'flaky', async plant() { throw new Error('503 from CRM'); }, async withdraw() {} };
    app = buildTestApp({ targets: [failing] });
    const good = await createChannel(app, { name: 'Work orders', kind: 'work-order-feed' });
    const bad = await createChannel(app, { name: 'CRM', kind: 'crm', target: 'flaky' });
    const res = await request(app.http).post('/api/v1/canaries').set(bearer(app.tokens.seeder)).send({ channelIds: [good.id, bad.id] });
    expect(res.status).toBe(502);
    const phone = app.services.db.prepare(`SELECT phone_number FROM canary_numbers WHERE status = 'retired'`).pluck().get() as string;
    app.clock.advanceMinutes(8);
    await call(phone, FIRM);
    const r = await report();
    const wo = byName(r, 'Work orders');
    expect(wo.exposedCanaries).toBe(1);
    expect(wo.canariesCalled).toBe(1);
    expect(wo.probability).toBeGreaterThan(0.3);
    expect(byName(r, 'CRM').exposedCanaries).toBe(0);
    expect(r.noise.noiseCallers).not.toContain(FIRM);
  });

  it('when one canary has over 130,000 hits, then the report still answers', async () => {
    app = buildTestApp();
    const a = await createChannel(app, { name: 'Busy', kind: 'crm' });
    const [c] = await plant(app, [a.id]);
    const db = app.services.db;
    const numberId = db.prepare('SELECT number_id FROM canaries WHERE id = ?').pluck().get(c!.id);
    const insert = db.prepare(`INSERT INTO hits (id, kind, provider_sid, from_number, to_number, received_at, number_id, canary_id, classification, raw)
      VALUES (?, 'call', ?, ?, ?, ?, ?, ?, 'after-planting', '{}')`);
    const t0 = app.clock.now().getTime();
    db.transaction(() => {
      for (let i = 0; i < 130_000; i++) insert.run(`hit_bulk${i}`, `CAbulk${i}`, `+9665${String(10_000_000 + (i % 5000)).padStart(8, '0')}`, c!.phoneNumber, new Date(t0 + 60_000 + i * 1000).toISOString(), numberId, c!.id);
    })();
    app.clock.advanceMinutes(3 * DAY);
    const ch = byName(await report(), 'Busy');
    expect(ch.hits).toBe(130_000);
    expect(ch.callers.length).toBeLessThanOrEqual(20);
    expect(ch.callersTotal).toBe(5000);
  }, 60_000);

  it('when the report is read page by page, then every channel comes exactly once and a bad cursor is refused', async () => {
    app = buildTestApp();
    for (const n of ['P1', 'P2', 'P3']) await createChannel(app, { name: n, kind: 'other' });
    const first = await report('?limit=2');
    expect(first.channels).toHaveLength(2);
    const second = await report(`?limit=2&cursor=${first.nextCursor}`);
    expect(second.nextCursor).toBeNull();
    expect([...first.channels, ...second.channels].map((c: any) => c.name)).toEqual(['P1', 'P2', 'P3']);
    const bad = await request(app.http).get('/api/v1/report?cursor=nonsense').set(bearer(app.tokens.investigator));
    expect(bad.status).toBe(400);
    expect(bad.body.error).toBe('invalid-cursor');
  });

  it('when a canary shared by two channels is called, then neither is named leaking on that call alone', async () => {
    app = buildTestApp();
    const a = await createChannel(app, { name: 'A', kind: 'crm' });
    const b = await createChannel(app, { name: 'B', kind: 'crm' });
    const [shared] = await plant(app, [a.id, b.id]);
    app.clock.advanceMinutes(3);
    await call(shared!.phoneNumber, FIRM);
    const r = await report();
    for (const n of ['A', 'B']) {
      expect(byName(r, n).verdict).not.toBe('leaking');
      expect(byName(r, n).reasons.join(' ')).toContain('shares canaries with');
    }
  });
});
