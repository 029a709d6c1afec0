import { afterEach, describe, expect, it } from 'vitest';
import request from 'supertest';
import { bearer, buildTestApp, callParams, createChannel, plant, signedWebhook, type TestApp } from '../support/app.ts';
import { accessPattern } from '../../src/parties/access.ts';

const H = 3_600_000;
const at = (iso: string) => Date.parse(iso);

describe('access pattern: how a party reaches a channel\'s tickets', () => {
  let app: TestApp;
  afterEach(async () => app?.dispose());

  it('when one firm calls minutes after each planting day and night and another calls at 02:00 after each, then the first is live and the second a batch export, in words', async () => {
    app = buildTestApp();
    const queue = await createChannel(app, { name: 'Live queue', kind: 'call-centre-vendor' });
    const exportCh = await createChannel(app, { name: 'Nightly export', kind: 'contractor-export' });
    const call = (to: string, from: string) => signedWebhook(app, '/twilio/voice', callParams(to, from));
    const plantedHours = ['2026-11-28T09:00:00Z', '2026-11-29T15:00:00Z', '2026-11-30T21:30:00Z', '2026-12-02T04:00:00Z', '2026-12-03T12:00:00Z'];
    for (const [i, t] of plantedHours.entries()) {
      app.clock.set(t);
      const [live] = await plant(app, [queue.id], 1);
      const [batch] = await plant(app, [exportCh.id], 1);
      app.clock.advanceMinutes(9 + i);
      expect((await call(live!.phoneNumber, '+966501110001')).status).toBe(200);
      const next2am = new Date(Date.parse(t) + 24 * H);
      next2am.setUTCHours(2, 5 + i * 7, 0, 0);
      if (next2am.getTime() < Date.parse(t)) next2am.setTime(next2am.getTime() + 24 * H);
      app.clock.set((next2am.getTime() - Date.parse(t) > 24 * H ? new Date(next2am.getTime() - 24 * H) : next2am).toISOString());
      expect((await call(batch!.phoneNumber, '+966507770009')).status).toBe(200);
    }
    app.clock.set('2026-12-08T12:00:00Z');
    const r = (await request(app.http).get('/api/v1/report').set(bearer(app.tokens.investigator))).body;
    const live = r.channels.find((c: any) => c.name === 'Live queue');
    const batch = r.channels.find((c: any) => c.name === 'Nightly export');
    expect(live.access.class).toBe('live');
    expect(live.access.words).toBe('first contacts 9–13 min after planting (5 of 5 within an hour), day and night: live access to the queue');
    expect(live.reasons.at(-1)).toBe('Access: first contacts 9–13 min after planting (5 of 5 within an hour), day and night: live access to the queue.');
    expect(batch.access.class).toBe('batch');
    expect(batch.access.clusterHour).toBe(2);
    expect(batch.access.words).toMatch(/^5 of 5 first contacts between 02:00 and 04:00 UTC, whenever the ticket was planted .*: a batch export$/);
    expect(r.parties.find((p: any) => p.partyId === '+966507770009').channels[0].access).toBe('batch');
  });

  it('when contacts are too few, same-day, or weekly, then the class says so with the figures', () => {
    expect(accessPattern([{ exposedAt: 0, firstAt: 10 * 60_000 }, { exposedAt: H, firstAt: H + 60_000 }]).class).toBe('unknown');
    const sameDay = [0, 5, 11, 17].map((h) => ({ exposedAt: at('2026-12-01T00:00:00Z') + h * H, firstAt: at('2026-12-01T00:00:00Z') + h * H + (4 + h / 2) * H }));
    expect(accessPattern(sameDay)).toMatchObject({ class: 'same-day', withinDay: 4, withinHour: 0 });
    // Planted Mon..Fri at various hours; every first call comes on the next Sunday at various hours.
    const weekly = ['2026-11-30T08:00Z', '2026-12-01T13:00Z', '2026-12-02T19:00Z', '2026-12-03T10:00Z'].map((e, i) => ({ exposedAt: at(e), firstAt: at('2026-12-06T00:00Z') + (3 + i * 5) * H }));
    expect(accessPattern(weekly)).toMatchObject({ class: 'batch', clusterWeekday: 'Sunday' });
    // A live firm reached in a 2-hour window because every planting happened then is live, not batch.
    const office = [8, 9, 10].map((h, d) => ({ exposedAt: at('2026-12-01T00:00Z') + d * 24 * H + h * H, firstAt: at('2026-12-01T00:00Z') + d * 24 * H + h * H + 12 * 60_000 }));
    expect(accessPattern(office).class).toBe('live');
  });
});
