import { afterEach, describe, expect, it } from 'vitest';
import request from 'supertest';
import { bearer, buildTestApp, callParams, createChannel, plant, signedWebhook, type TestApp } from '../support/app.ts';
import { exposedShift, onDuty, type ShiftSchedule } from '../../src/planting/shifts.ts';

const ALL = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const SCHEDULE = { timeZone: 'Asia/Riyadh', shifts: [{ name: 'day', days: ALL, start: '08:00', end: '20:00' }, { name: 'night', days: ALL, start: '20:00', end: '08:00' }] };

describe('shifts: a channel worked in shifts decodes as one channel per shift', () => {
  let app: TestApp;
  afterEach(async () => app?.dispose());

  it('when only tickets planted while the night shift is on duty are called, then the night shift leaks and the day shift does not', async () => {
    app = buildTestApp();
    const vendor = await createChannel(app, { name: 'Vendor A', kind: 'call-centre-vendor', dimensions: { shift: SCHEDULE } });
    const call = (to: string) => signedWebhook(app, '/twilio/voice', callParams(to, '+966501110001', { CallerName: 'NIGHT DESK' }));
    for (let d = 0; d < 4; d++) {
      app.clock.set(`2026-12-0${d + 1}T07:00:00Z`); // 10:00 in Riyadh: the day shift
      await plant(app, [vendor.id], 1);
      app.clock.set(`2026-12-0${d + 1}T19:30:00Z`); // 22:30 in Riyadh: the night shift
      const [night] = await plant(app, [vendor.id], 1);
      app.clock.advanceMinutes(12 + d);
      expect((await call(night!.phoneNumber)).status).toBe(200);
    }
    app.clock.set('2026-12-09T12:00:00Z');
    const r = (await request(app.http).get('/api/v1/report').set(bearer(app.tokens.investigator))).body;
    const byId = (id: string) => r.channels.find((c: any) => c.channelId === id);
    const night = byId(`${vendor.id}~night`);
    const day = byId(`${vendor.id}~day`);
    expect(night).toMatchObject({ name: 'Vendor A (night shift)', verdict: 'leaking', exposedCanaries: 4, canariesCalled: 4 });
    expect(day).toMatchObject({ name: 'Vendor A (day shift)', exposedCanaries: 4, canariesCalled: 0 });
    expect(day.verdict).not.toBe('leaking');
    expect(day.probability).toBeLessThan(0.05);
    expect(night.access.class).toBe('live');
  });

  it('when a ticket is planted between shifts, then the next shift to come on sees it, from when it comes on; midnight-crossing shifts belong to the day they start', () => {
    const s: ShiftSchedule = { timeZone: 'UTC', shifts: [{ name: 'late', days: ['mon'], start: '22:00', end: '02:00' }, { name: 'morning', days: ['tue'], start: '09:00', end: '13:00' }] };
    expect(onDuty(s, Date.parse('2026-11-30T23:00:00Z'))).toBe('late'); // Monday 23:00
    expect(onDuty(s, Date.parse('2026-12-01T01:30:00Z'))).toBe('late'); // Tuesday 01:30, still Monday's late shift
    expect(onDuty(s, Date.parse('2026-12-01T03:00:00Z'))).toBeNull();
    expect(exposedShift(s, Date.parse('2026-12-01T03:00:00Z'))).toEqual({ shift: 'morning', from: Date.parse('2026-12-01T09:00:00Z') });
  });

  it('when a schedule has an hour out of range, an unknown time zone or two shifts of one name, then the channel is refused with a code and not created', async () => {
    app = buildTestApp();
    const post = (shift: unknown) => request(app.http).post('/api/v1/channels').set(bearer(app.tokens.seeder)).send({ name: 'V', kind: 'call-centre-vendor', dimensions: { shift } });
    const bad = await post({ ...SCHEDULE, shifts: [{ name: 'day', days: ['mon'], start: '25:00', end: '08:00' }] });
    expect([bad.status, bad.body.error]).toEqual([400, 'invalid-request']);
    expect(bad.body.message).toContain('start');
    const zone = await post({ ...SCHEDULE, timeZone: 'Mars/Olympus_Mons' });
    expect([zone.status, zone.body.error]).toEqual([400, 'unknown-time-zone']);
    const dup = await post({ ...SCHEDULE, shifts: [SCHEDULE.shifts[0], SCHEDULE.shifts[0]] });
    expect([dup.status, dup.body.error]).toEqual([400, 'duplicate-shift']);
    expect((await request(app.http).get('/api/v1/channels').set(bearer(app.tokens.seeder))).body.channels).toEqual([]);
    expect((await post('night')).status).toBe(201); // a plain label is still a label
  });
});
