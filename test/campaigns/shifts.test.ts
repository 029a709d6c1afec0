import { afterEach, describe, expect, it } from 'vitest';
import request from 'supertest';
import { bearer, buildTestApp, callParams, createChannel, signedWebhook, type TestApp } from '../support/app.ts';
import { onDuty, type ShiftSchedule } from '../../src/planting/shifts.ts';
import { dedicatedDesign, splitDesign } from '../../src/attribution/designs.ts';
import { GUARD_MINUTES, timeForShifts } from '../../src/attribution/shift-design.ts';

const ALL = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
const SCHEDULE: ShiftSchedule = { timeZone: 'Asia/Riyadh', shifts: [{ name: 'day', days: [...ALL], start: '08:00', end: '20:00' }, { name: 'night', days: [...ALL], start: '20:00', end: '08:00' }] };
const FIRM = '+966501110001';

describe('campaigns over a channel worked in shifts', () => {
  let app: TestApp;
  afterEach(async () => app?.dispose());
  const post = (path: string, body: unknown) => request(app.http).post(path).set(bearer(app.tokens.seeder)).send(body as object);
  const get = (path: string) => request(app.http).get(path).set(bearer(app.tokens.seeder));

  it('when a campaign covers two shifts of one vendor and the night shift leaks, then the plan lists both shifts with their planting times, the campaign plants each shift while it is on duty, and the decoder names the night shift', async () => {
    app = buildTestApp(); // the clock starts 2026-11-28 09:00 UTC: 12:00 in Riyadh, the day shift
    const vendor = await createChannel(app, { name: 'Vendor A', kind: 'call-centre-vendor', dimensions: { shift: SCHEDULE } });
    const crm = await createChannel(app, { name: 'CRM', kind: 'crm' });
    const day = `${vendor.id}~day`;
    const night = `${vendor.id}~night`;

    const plan = await post('/api/v1/campaigns/plan', { name: 'which shift?', channelIds: [vendor.id, crm.id], design: 'dedicated', budget: 12, worlds: 10 });
    expect(plan.status).toBe(200);
    expect(plan.body.channels).toEqual([
      { channelId: day, baseChannelId: vendor.id, shift: 'day', name: 'Vendor A (day shift)' },
      { channelId: night, baseChannelId: vendor.id, shift: 'night', name: 'Vendor A (night shift)' },
      { channelId: crm.id, baseChannelId: crm.id, shift: null, name: 'CRM' },
    ]);
    const dedicated = plan.body.designs.find((d: any) => d.design === 'dedicated');
    expect(dedicated.tickets).toBe(12); // four per shift and four for the CRM
    expect(dedicated.exposuresTotal).toBe(8);
    for (const e of dedicated.exposures) {
      expect(e.channelId).toBe(vendor.id);
      expect(onDuty(SCHEDULE, Date.parse(e.plantAt))).toBe(e.shift);
    }
    expect(dedicated.exposures.filter((e: any) => e.shift === 'night').map((e: any) => e.plantAt)).toEqual(new Array(4).fill('2026-11-28T17:00:00.000Z')); // 20:00 in Riyadh
    for (const d of plan.body.designs.filter((x: any) => x.design !== 'adaptive')) expect(d.exposures.map((e: any) => e.shift).sort()).toContain('night');
    expect(app.services.db.prepare('SELECT count(*) FROM canaries').pluck().get()).toBe(0);

    const made = await post('/api/v1/campaigns', { name: 'which shift?', channelIds: [vendor.id, crm.id], design: 'dedicated', budget: 12 });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ canaries: 8, scheduledCanaries: 4, plantings: 12 });
    const before = (await get(`/api/v1/campaigns/${made.body.id}/exposures`)).body;
    expect(before.total).toBe(12);
    const nightBefore = before.exposures.filter((e: any) => e.shift === 'night');
    expect(nightBefore.map((e: any) => [e.state, e.at, e.canaryId])).toEqual(new Array(4).fill(['scheduled', '2026-11-28T17:00:00.000Z', null]));
    expect(before.exposures.filter((e: any) => e.shift === 'day').map((e: any) => e.state)).toEqual(['exposed', 'exposed', 'exposed', 'exposed']);

    app.clock.set('2026-11-28T17:01:00Z');
    await app.services.outbox.drain();
    const after = (await get(`/api/v1/campaigns/${made.body.id}/exposures`)).body;
    const nightNow = after.exposures.filter((e: any) => e.shift === 'night');
    expect(nightNow).toHaveLength(4);
    for (const e of nightNow) expect([e.state, typeof e.canaryId]).toEqual(['exposed', 'string']);
    expect((await get(`/api/v1/campaigns/${made.body.id}`)).body).toMatchObject({ canaries: 12, scheduledCanaries: 0 });

    // The night shift's firm rings each night-shift ticket's number a few minutes after it arrives.
    const phones = app.services.db.prepare(`SELECT n.phone_number FROM canaries k JOIN canary_numbers n ON n.id = k.number_id
      WHERE k.id IN (SELECT value FROM json_each(?)) ORDER BY k.id`).pluck().all(JSON.stringify(nightNow.map((e: any) => e.canaryId))) as string[];
    for (const phone of phones) {
      app.clock.advanceMinutes(7);
      expect((await signedWebhook(app, '/twilio/voice', callParams(phone, FIRM))).status).toBe(200);
    }
    app.clock.advanceMinutes(4 * 24 * 60);
    const report = (await request(app.http).get('/api/v1/report').set(bearer(app.tokens.investigator))).body;
    const verdict = (id: string) => report.channels.find((c: any) => c.channelId === id);
    expect(verdict(night)).toMatchObject({ verdict: 'leaking', exposedCanaries: 4, canariesCalled: 4 });
    expect(verdict(night).parties[0].partyId).toBe(FIRM);
    expect(verdict(day)).toMatchObject({ exposedCanaries: 4, canariesCalled: 0 });
    expect(verdict(day).verdict).not.toBe('leaking');
    expect(verdict(crm.id).verdict).not.toBe('leaking');
  });

  it('when a shared design is timed for shifts, then no canary holds two shifts of one channel, every shift keeps its weight, and each shift ticket is planted while its shift is on duty with time left', () => {
    const channels = ['ch_v~day', 'ch_v~night', 'ch_a', 'ch_b', 'ch_c'];
    const design = splitDesign(channels, { numbers: 4, weight: 3, maxLeakers: 1, staggerMinutes: 90, seed: 3 });
    expect(design.canaries.some((k) => k.plantings.some((p) => p.channelId === 'ch_v~day') && k.plantings.some((p) => p.channelId === 'ch_v~night'))).toBe(true);
    const start = Date.parse('2026-11-28T16:50:00Z'); // 19:50 in Riyadh: ten minutes of the day shift left
    const timed = timeForShifts(design, new Map([['ch_v', SCHEDULE]]), start);
    const weight = new Map<string, number>();
    for (const k of timed.canaries) {
      const vendor = k.plantings.filter((p) => p.channelId === 'ch_v');
      expect(vendor.length).toBeLessThanOrEqual(1);
      for (const p of k.plantings) {
        const id = p.shift ? `${p.channelId}~${p.shift}` : p.channelId;
        weight.set(id, (weight.get(id) ?? 0) + 1);
        if (!p.shift) continue;
        const at = start + p.offsetMinutes * 60_000;
        expect(onDuty(SCHEDULE, at)).toBe(p.shift);
        expect(onDuty(SCHEDULE, at + GUARD_MINUTES * 60_000 - 60_000)).toBe(p.shift);
      }
    }
    expect(Object.fromEntries(weight)).toEqual(Object.fromEntries(channels.map((c) => [c, 3])));
    const dayOffsets = timed.canaries.flatMap((k) => k.plantings.filter((p) => p.shift === 'day').map((p) => p.offsetMinutes));
    expect(Math.min(...dayOffsets)).toBeGreaterThan(12 * 60); // not in the day shift's last ten minutes: the next morning

    // A start between whole minutes (a real clock) must not put a ticket a few seconds before its shift.
    const odd = Date.parse('2026-12-02T01:35:58.997Z'); // 04:35 in Riyadh: the night shift
    const single = timeForShifts(dedicatedDesign(['ch_v~day', 'ch_v~night'], 2), new Map([['ch_v', SCHEDULE]]), odd);
    for (const p of single.canaries.flatMap((k) => k.plantings)) expect(onDuty(SCHEDULE, odd + p.offsetMinutes * 60_000)).toBe(p.shift);
  });
});
