import { afterEach, describe, expect, it } from 'vitest';
import request from 'supertest';
import Database from 'better-sqlite3';
import path from 'node:path';
import { parsePhoneNumberWithError } from 'libphonenumber-js';
import type { PlantingRequest, PlantingTarget } from '../../src/planting/target.ts';
import { bearer, buildTestApp, createChannel, plant, type TestApp } from '../support/app.ts';

class FailingTarget implements PlantingTarget {
  readonly name = 'flaky-crm';
  async plant(_r: PlantingRequest): Promise<{ externalRef: string }> {
    throw new Error('CRM answered 503');
  }
  async withdraw(): Promise<void> {}
}

describe('canary creation', () => {
  let app: TestApp;
  afterEach(() => app.dispose());

  const utility = () => new Database(path.join(app.dir, 'utility.db'), { readonly: true });
  const count = (db: { prepare(s: string): { pluck(): { get(): unknown } } }, table: string) => db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;

  it('when canaries are created for a channel, then each has its own E.164 number, a persona and a ticket planted in the utility database', async () => {
    app = buildTestApp();
    const ch = await createChannel(app, { name: 'Vendor A night', kind: 'call-centre-vendor', routing: { queue: 'CC-NIGHT' } });
    const canaries = await plant(app, [ch.id], 5);
    expect(canaries).toHaveLength(5);
    const numbers = new Set(canaries.map((c) => c.phoneNumber));
    expect(numbers.size).toBe(5);
    for (const c of canaries) {
      expect(parsePhoneNumberWithError(c.phoneNumber).number).toBe(c.phoneNumber);
      expect(c.plantings).toHaveLength(1);
      expect(c.plantings[0]!.externalRef).toMatch(/^\d+$/);
    }
    const db = utility();
    const ticket = db.prepare('SELECT * FROM service_tickets WHERE ticket_id = ?').get(Number(canaries[0]!.plantings[0]!.externalRef)) as Record<string, unknown>;
    expect(ticket.assigned_queue).toBe('CC-NIGHT');
    // The canary is one more ordinary customer: same columns, no marker, found by its phone.
    const columns = (db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all('customers') as string[]).join(',');
    expect(columns).not.toMatch(/canary|test|trap|marker/i);
    expect(count(db, 'customers')).toBe(60 + 5);
    db.close();
  });

  it('when one target fails, then no row is left in any target, the canary is kept only as exposure, and its number retired', async () => {
    app = buildTestApp({ targets: [new FailingTarget()] });
    const good = await createChannel(app, { name: 'Work orders', kind: 'work-order-feed' });
    const bad = await createChannel(app, { name: 'CRM B', kind: 'crm', target: 'flaky-crm' });
    const before = count(utility(), 'service_tickets');
    const res = await request(app.http).post('/api/v1/canaries').set(bearer(app.tokens.seeder)).send({ channelIds: [good.id, bad.id] });
    expect(res.status).toBe(502);
    expect(res.body.error).toBe('planting-failed');
    expect(res.body.message).toContain('503');
    const db = app.services.db;
    // The first channel's ticket existed for a moment: that exposure is a fact a later call is judged by.
    expect(db.prepare('SELECT status, exposed_at IS NOT NULL AS exposed FROM plantings ORDER BY exposed DESC').all())
      .toEqual([{ status: 'withdrawn', exposed: 1 }, { status: 'not-planted', exposed: 0 }]);
    // ...so its number is retired, never reused.
    expect(db.prepare('SELECT status FROM canary_numbers').pluck().all()).toEqual(['retired']);
    const u = utility();
    expect(count(u, 'service_tickets')).toBe(before);
    expect(count(u, 'customers')).toBe(60);
    u.close();
  });

  it('when a request for several canaries fails part-way, then the ones already planted are withdrawn too', async () => {
    let calls = 0;
    const sometimes: PlantingTarget = {
      name: 'sometimes',
      async plant() {
        calls++;
        if (calls === 3) throw new Error('disk full');
        return { externalRef: `R${calls}` };
      },
      withdrawn: [] as string[],
      async withdraw(ref: string) {
        (this as any).withdrawn.push(ref);
      },
    } as PlantingTarget & { withdrawn: string[] };
    app = buildTestApp({ targets: [sometimes] });
    const ch = await createChannel(app, { name: 'S', kind: 'other', target: 'sometimes' });
    const res = await request(app.http).post('/api/v1/canaries').set(bearer(app.tokens.seeder)).send({ channelIds: [ch.id], count: 4 });
    expect(res.status).toBe(502);
    expect((sometimes as any).withdrawn.sort()).toEqual(['R1', 'R2']);
    // Kept as exposure (withdrawn), not as live canaries; the third and fourth never reached the target and left nothing.
    expect(app.services.db.prepare('SELECT DISTINCT status FROM plantings').pluck().all()).toEqual(['withdrawn']);
    expect(count(app.services.db, 'canaries')).toBe(2);
    const rolledBack = app.services.db.prepare("SELECT count(*) FROM evidence_log WHERE kind = 'canary-rolled-back'").pluck().get();
    expect(rolledBack).toBe(2);
    // The two numbers that were briefly exposed are retired for good; the third went back to the range.
    const statuses = app.services.db.prepare('SELECT status FROM canary_numbers').pluck().all();
    expect(statuses).toEqual(['retired', 'retired']);
  });

  it('when one canary is planted in two channels, then each planting carries its own variant and ticket', async () => {
    app = buildTestApp();
    const a = await createChannel(app, { name: 'A', kind: 'call-centre-vendor' });
    const b = await createChannel(app, { name: 'B', kind: 'contractor-export' });
    const [c] = await plant(app, [a.id, b.id]);
    expect(c!.plantings.map((p) => p.channelId).sort()).toEqual([a.id, b.id].sort());
    const refs = c!.plantings.map((p) => p.externalRef);
    expect(new Set(refs).size).toBe(2);
    const full = (await request(app.http).get(`/api/v1/canaries/${c!.id}`).set(bearer(app.tokens.seeder))).body;
    const variants = full.plantings.map((p: { variant: { reference: string } }) => p.variant.reference);
    expect(new Set(variants).size).toBe(2);
    const u = utility();
    const queues = u.prepare(`SELECT assigned_queue FROM service_tickets WHERE ticket_id IN (${refs.map(() => '?').join(',')})`).pluck().all(...refs.map(Number));
    expect(queues.sort()).toEqual(['CC-DAY', 'CONTRACTOR-EXPORT']);
    u.close();
  });

  it('when the input is wrong, then 400 with a code and nothing is created', async () => {
    app = buildTestApp();
    const ch = await createChannel(app, { name: 'A', kind: 'crm' });
    const cases: Array<[unknown, number, string]> = [
      [{ channelIds: ['ch_nope'] }, 404, 'not-found'],
      [{ channelIds: [] }, 400, 'invalid-request'],
      [{ channelIds: [ch.id], count: 0 }, 400, 'invalid-request'],
      [{ channelIds: [ch.id], locale: 'fr-FR' }, 400, 'invalid-request'],
      [{ channelIds: ch.id }, 400, 'invalid-request'],
    ];
    for (const [body, status, code] of cases) {
      const res = await request(app.http).post('/api/v1/canaries').set(bearer(app.tokens.seeder)).send(body as object);
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(res.body.error).toBe(code);
    }
    const bad = await request(app.http).post('/api/v1/canaries').set(bearer(app.tokens.seeder)).type('json').send('{"channelIds": [');
    expect(bad.status).toBe(400);
    expect(bad.body.error).toBe('invalid-json');
    expect(count(app.services.db, 'canaries')).toBe(0);
  });

  it('when a routing queue no real ticket uses is asked for, then planting is refused rather than leave a tell', async () => {
    app = buildTestApp();
    const ch = await createChannel(app, { name: 'A', kind: 'crm', routing: { queue: 'TRAP-QUEUE' } });
    const res = await request(app.http).post('/api/v1/canaries').set(bearer(app.tokens.seeder)).send({ channelIds: [ch.id] });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('unknown-routing');
    expect(count(app.services.db, 'canaries')).toBe(0);
  });

  it('when numbers run out in the simulated range, then a clear error and no canary', async () => {
    app = buildTestApp({ env: { SIM_NUMBER_RANGES: 'SA:+966593300100-+966593300101' } });
    const ch = await createChannel(app, { name: 'A', kind: 'crm' });
    await plant(app, [ch.id], 2);
    const res = await request(app.http).post('/api/v1/canaries').set(bearer(app.tokens.seeder)).send({ channelIds: [ch.id] });
    expect(res.status).toBe(409);
    expect(res.body.error).toBe('number-pool-exhausted');
    expect(count(app.services.db, 'canaries')).toBe(2);
  });
});
